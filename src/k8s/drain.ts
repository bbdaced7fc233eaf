/**
 * A read-only simulation of `kubectl drain <node> --ignore-daemonsets --delete-emptydir-data`
 * for every node, and an order in which the nodes that can be drained can go.
 *
 * Per node (kubectl `pkg/drain/filters.go`, filters in order, the first refusal wins):
 * - DaemonSet pods are left alone (`--ignore-daemonsets`), unless Succeeded/Failed (deleted)
 *   or their DaemonSet no longer exists (refused without `--force`);
 * - mirror (static) pods are skipped;
 * - pods with `emptyDir` volumes are evicted and their data deleted (`--delete-emptydir-data`);
 * - pods without a controller are refused without `--force` (and lost for good with it);
 * - every other pod is evicted through the Eviction API (`disruption.ts`, `evictionVerdict`):
 *   a pod under several PDBs, or under one whose `disruptionsAllowed` is 0, is never evicted
 *   and the drain waits forever.
 * Then the evicted pods that a controller recreates are placed on the other nodes
 * (`scheduling.ts`, `ClusterFit`); a pod that fits nowhere stays Pending. Pods bound to a
 * local PersistentVolume (`spec.local` or `spec.hostPath`) can only run on their node: they are
 * reported and not placed.
 *
 * A node "can go" when its drain completes and every evicted pod can run elsewhere, except
 * pods bound to local volumes on it (they come back with the node): no PDB-blocked pod, no
 * pod needing `--force`, no pod that fits nowhere. The order drains control-plane nodes first
 * (kubeadm upgrades them first), then the other nodes by name; with `maxParallel` > 1, a node
 * joins a wave only when, for every PDB, the healthy pods the wave evicts stay within the
 * PDB's `disruptionsAllowed` (never two nodes whose pods share a budget of 1), and the wave's
 * pods fit together on the nodes outside it (placed node by node as the wave grows: the pods
 * placed on a node that then joins the wave move on; see `DrainPlanner.order`).
 */
import type { NodeInfo } from '../contract/values/core.js';
import type { PdbInfo, PersistentVolumeClaimInfo, PersistentVolumeInfo, PodInfo, WorkloadInfo } from '../contract/values/pdb.js';
import { compareKeys, evictionVerdict, keyOf, PdbCoverage, WorkloadIndex } from './disruption.js';
import { ClusterFit, type PlacementRequest, type Rejections } from './scheduling.js';
import type { NodeSelectorTerm } from '../contract/values/scheduling.js';

/** What kubectl drain does with one pod. */
export type DrainAction =
  /** A running DaemonSet pod: ignored with `--ignore-daemonsets`. */
  | 'daemonset'
  /** A mirror (static) pod: skipped. */
  | 'mirror'
  /** Succeeded or Failed: deleted, nothing to reschedule. */
  | 'terminal'
  /** A DaemonSet pod whose DaemonSet is gone: refused without `--force`. */
  | 'orphaned-daemonset'
  /** No controller: refused without `--force`. */
  | 'unmanaged'
  /** Evicted through the Eviction API. */
  | 'evict';

/** The kubectl drain filters for one pod, given whether its DaemonSet (if any) exists. */
export function drainAction(pod: PodInfo, daemonSetExists: boolean): DrainAction {
  const terminal = pod.phase === 'Succeeded' || pod.phase === 'Failed';
  if (pod.controller?.kind === 'DaemonSet') {
    if (terminal) return 'terminal';
    return daemonSetExists ? 'daemonset' : 'orphaned-daemonset';
  }
  if (pod.mirror) return 'mirror';
  if (terminal) return 'terminal';
  if (!pod.controller) return 'unmanaged';
  return 'evict';
}

/** The drain of one node, as plain JSON (for findings and the report's drain plan). */
export interface NodeDrain {
  node: string;
  controlPlane: boolean;
  ready: string;
  unschedulable: boolean;
  /** Pods the drain evicts or deletes. */
  evicted: number;
  skipped: { daemonSet: number; mirror: number };
  /** Pods the Eviction API never lets go. */
  pdbBlocked: Array<{ pod: string; reason: 'several-pdbs' | 'no-disruptions-allowed'; pdbs: string[]; disruptionsAllowed?: number }>;
  /** Pods kubectl refuses to delete without `--force`. */
  needsForce: Array<{ pod: string; reason: 'no-controller' | 'daemonset-missing'; owner?: string }>;
  /** Evicted pods that no other node can take (the scheduler's reasons, counted per node). */
  fitsNowhere: Array<{ pod: string; cpuCores: number; memoryBytes: number; rejections: Rejections }>;
  /** Pods bound to local PersistentVolumes: Pending until the node is back. */
  localVolumes: Array<{ pod: string; persistentVolumes: string[] }>;
  /** Pods whose emptyDir data the drain deletes. */
  emptyDir: Array<{ pod: string; volumes: string[] }>;
  /** Pods under a PDB whose status is behind its spec: the answer is not known yet. */
  stale: Array<{ pod: string; pdb: string }>;
  /** Healthy pods per PDB the drain evicts; more than `disruptionsAllowed` means it waits for replacements. */
  budgets: Array<{ pdb: string; pods: number; disruptionsAllowed: number }>;
  /** PDB-blocked, needs `--force`, or pods that fit nowhere. */
  blocked: boolean;
}

export interface DrainInputs {
  nodes: readonly NodeInfo[];
  pods: readonly PodInfo[];
  pdbs: readonly PdbInfo[];
  workloads: readonly WorkloadInfo[];
  persistentVolumes: readonly PersistentVolumeInfo[];
  persistentVolumeClaims: readonly PersistentVolumeClaimInfo[];
  /** Namespace labels, for anti-affinity namespace selectors. */
  namespaceLabels?: ReadonlyMap<string, Record<string, string>>;
  /** Workload kinds that were not read (see `WorkloadIndex.of`). */
  unreadWorkloadKinds?: readonly string[];
}

/** The volume constraints of a pod without PersistentVolumeClaims (shared, never modified). */
const NO_VOLUME_AFFINITY: NodeSelectorTerm[][] = [];

const isControlPlane = (n: NodeInfo): boolean => n.roles.includes('control-plane') || n.roles.includes('master');
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Builds the cluster model once (indexes, capacity), then simulates drains on it. */
export class DrainPlanner {
  readonly coverage: PdbCoverage;
  private readonly workloads: WorkloadIndex;
  private readonly nodes: NodeInfo[];
  private readonly podsByNode = new Map<string, PodInfo[]>();
  private readonly pvByName = new Map<string, PersistentVolumeInfo>();
  private readonly pvcByKey = new Map<string, PersistentVolumeClaimInfo>();
  private readonly fit: ClusterFit<PodInfo>;
  /** Per node: the placements its drain needs (for waves). */
  private readonly requests = new Map<string, Array<PlacementRequest<PodInfo>>>();

  constructor(inputs: DrainInputs) {
    this.coverage = PdbCoverage.of(inputs.pdbs, inputs.pods);
    this.workloads = WorkloadIndex.of(inputs.workloads, inputs.unreadWorkloadKinds);
    this.nodes = [...inputs.nodes].sort((a, b) => cmp(a.name, b.name));
    for (const p of inputs.pods) {
      if (!p.nodeName) continue;
      const l = this.podsByNode.get(p.nodeName);
      if (l) l.push(p);
      else this.podsByNode.set(p.nodeName, [p]);
    }
    for (const pv of inputs.persistentVolumes) this.pvByName.set(pv.name, pv);
    for (const c of inputs.persistentVolumeClaims) this.pvcByKey.set(keyOf(c), c);
    const bound = inputs.pods.filter((p) => p.nodeName && p.phase !== 'Succeeded' && p.phase !== 'Failed') as Array<
      PodInfo & { nodeName: string }
    >;
    this.fit = new ClusterFit<PodInfo>(this.nodes, bound, inputs.namespaceLabels);
  }

  /** The PersistentVolumes a pod's claims are bound to. */
  private volumesOf(pod: PodInfo): PersistentVolumeInfo[] {
    const out: PersistentVolumeInfo[] = [];
    for (const claim of pod.volumes.claims) {
      const pvc = this.pvcByKey.get(`${pod.namespace}/${claim}`);
      const pv = pvc?.volumeName ? this.pvByName.get(pvc.volumeName) : undefined;
      if (pv) out.push(pv);
    }
    return out;
  }

  /** Simulates the drain of one node. */
  simulate(node: NodeInfo): NodeDrain {
    const d: NodeDrain = {
      node: node.name,
      controlPlane: isControlPlane(node),
      ready: node.ready,
      unschedulable: node.unschedulable,
      evicted: 0,
      skipped: { daemonSet: 0, mirror: 0 },
      pdbBlocked: [],
      needsForce: [],
      fitsNowhere: [],
      localVolumes: [],
      emptyDir: [],
      stale: [],
      budgets: [],
      blocked: false,
    };
    /** Healthy pods evicted per PDB object (keyed by `namespace/name` at the end). */
    const consumed = new Map<PdbInfo, number>();
    const toPlace: Array<PlacementRequest<PodInfo>> = [];
    // The node's list is private to the planner: sorted in place (again for a node simulated twice).
    const pods = (this.podsByNode.get(node.name) ?? []).sort(compareKeys);
    for (const pod of pods) {
      const ds = pod.controller?.kind === 'DaemonSet' ? this.workloads.controllerOf(pod) : undefined;
      const action = drainAction(pod, ds !== undefined);
      if (action === 'daemonset') {
        d.skipped.daemonSet++;
        continue;
      }
      if (action === 'mirror') {
        d.skipped.mirror++;
        continue;
      }
      d.evicted++;
      if (action === 'terminal') continue;
      if (action === 'orphaned-daemonset') {
        d.needsForce.push({ pod: keyOf(pod), reason: 'daemonset-missing', owner: `DaemonSet/${pod.controller!.name}` });
        continue;
      }
      if (action === 'unmanaged') {
        d.needsForce.push({ pod: keyOf(pod), reason: 'no-controller' });
        continue;
      }
      if (pod.volumes.emptyDir.length > 0) d.emptyDir.push({ pod: keyOf(pod), volumes: [...pod.volumes.emptyDir] });
      const v = evictionVerdict(pod, this.coverage);
      if (v.kind === 'several-pdbs') {
        d.pdbBlocked.push({ pod: keyOf(pod), reason: 'several-pdbs', pdbs: v.pdbs.map(keyOf).sort() });
      } else if (v.kind === 'blocked') {
        d.pdbBlocked.push({
          pod: keyOf(pod),
          reason: 'no-disruptions-allowed',
          pdbs: [keyOf(v.pdb)],
          disruptionsAllowed: v.disruptionsAllowed,
        });
      } else if (v.kind === 'stale') {
        d.stale.push({ pod: keyOf(pod), pdb: keyOf(v.pdb) });
      } else if (v.kind === 'allowed' && v.consumes) {
        consumed.set(v.pdb, (consumed.get(v.pdb) ?? 0) + 1);
      }
      if (pod.deletionTimestamp) continue;
      if (pod.volumes.claims.length === 0) {
        toPlace.push({ pod, volumeAffinity: NO_VOLUME_AFFINITY });
        continue;
      }
      const pvs = this.volumesOf(pod);
      const local = pvs.filter((pv) => pv.local);
      if (local.length > 0) {
        d.localVolumes.push({ pod: keyOf(pod), persistentVolumes: local.map((pv) => pv.name).sort() });
        continue;
      }
      const volumeAffinity: NodeSelectorTerm[][] = pvs.filter((pv) => pv.nodeAffinity.length > 0).map((pv) => pv.nodeAffinity);
      toPlace.push({ pod, volumeAffinity });
    }
    for (const r of this.fit.unplaceable(toPlace, new Set([node.name]))) {
      d.fitsNowhere.push({
        pod: keyOf(r.pod),
        cpuCores: r.pod.requests.cpuCores,
        memoryBytes: r.pod.requests.memoryBytes,
        rejections: r.rejections,
      });
    }
    d.fitsNowhere.sort((a, b) => cmp(a.pod, b.pod));
    const budgets = new Map<string, { pdb: PdbInfo; pods: number }>();
    for (const [pdb, pods] of consumed) {
      const b = budgets.get(keyOf(pdb));
      if (b) b.pods += pods;
      else budgets.set(keyOf(pdb), { pdb, pods });
    }
    d.budgets = [...budgets.entries()]
      .sort(([a], [b]) => cmp(a, b))
      .map(([k, b]) => ({ pdb: k, pods: b.pods, disruptionsAllowed: b.pdb.status?.disruptionsAllowed ?? 0 }));
    d.blocked = d.pdbBlocked.length > 0 || d.needsForce.length > 0 || d.fitsNowhere.length > 0;
    this.requests.set(node.name, toPlace);
    return d;
  }

  /** Simulates every node's drain, in name order. */
  simulateAll(): NodeDrain[] {
    return this.nodes.map((n) => this.simulate(n));
  }

  /**
   * The order in which the nodes that can go are drained, as waves (each a list of node
   * names drained together): control-plane nodes one at a time first, then the others by
   * name, up to `maxParallel` per wave. A node joins the current wave only when no PDB's
   * `disruptionsAllowed` is exceeded by the healthy pods the wave evicts and its evicted pods,
   * with those the wave had placed on it, fit on the nodes outside the wave, next to the pods
   * the wave already placed (placements build on each other within a wave, and each wave starts
   * again from the cluster as read). Nodes that are blocked or whose answer is not known
   * (`stale`) are left out. Needs `simulate` (or `simulateAll`) to have run for these drains.
   */
  order(drains: readonly NodeDrain[], maxParallel: number): string[][] {
    const ok = drains.filter((d) => !d.blocked && d.stale.length === 0).sort((a, b) => cmp(a.node, b.node));
    const waves: string[][] = ok.filter((d) => d.controlPlane).map((d) => [d.node]);
    const remaining = ok.filter((d) => !d.controlPlane);
    const width = Math.max(1, maxParallel);
    while (remaining.length > 0) {
      const wave = [remaining.shift()!];
      if (width > 1) {
        const session = this.fit.session();
        try {
          session.drain(wave[0]!.node, this.requests.get(wave[0]!.node) ?? []);
          const used = new Map(wave[0]!.budgets.map((b) => [b.pdb, b.pods]));
          for (let i = 0; i < remaining.length && wave.length < width;) {
            const cand = remaining[i]!;
            if (withinBudgets(cand, used) && session.drain(cand.node, this.requests.get(cand.node) ?? [])) {
              wave.push(cand);
              for (const b of cand.budgets) used.set(b.pdb, (used.get(b.pdb) ?? 0) + b.pods);
              remaining.splice(i, 1);
            } else {
              i++;
            }
          }
        } finally {
          session.close();
        }
      }
      waves.push(wave.map((w) => w.node));
    }
    return waves;
  }
}

/** True when the node's evictions, added to a wave's, stay within every PDB the wave already uses. */
function withinBudgets(cand: NodeDrain, used: ReadonlyMap<string, number>): boolean {
  return cand.budgets.every((b) => {
    const already = used.get(b.pdb) ?? 0;
    return already === 0 || already + b.pods <= b.disruptionsAllowed;
  });
}

/**
 * The scheduler-style summary of why a pod fits nowhere:
 * `0/6 nodes are available: 1 being drained, 4 Insufficient cpu, 1 untolerated taint {…}`.
 */
export function describeRejections(r: Rejections): string {
  const total = Object.values(r).reduce((a, b) => a + b, 0);
  const parts = Object.entries(r)
    .sort(([a], [b]) => cmp(a, b))
    .map(([why, n]) => `${n} ${why}`);
  return `0/${total} nodes are available: ${parts.join(', ')}`;
}
