/**
 * Where a pod may run: taints and tolerations, node selectors and required node affinity, and
 * a greedy fit of pods onto nodes by their resource requests — an approximation of the
 * kube-scheduler's filters, used by the drain simulation (`drain.ts`).
 *
 * Modelled (each as the scheduler's filter plugin of the same name does it):
 * - `NodeResourcesFit`: CPU and memory requests against allocatable minus what the pods
 *   already bound to the node request (pods not Succeeded/Failed), and the pod count against
 *   allocatable `pods`; a node that reports no allocatable value for a resource is not limited
 *   on it;
 * - `NodeUnschedulable`: a cordoned node takes only pods tolerating
 *   `node.kubernetes.io/unschedulable:NoSchedule`;
 * - `TaintToleration`: every `NoSchedule` and `NoExecute` taint must be tolerated
 *   (`PreferNoSchedule` is ignored);
 * - `NodeAffinity`: `spec.nodeSelector` and required node affinity (`nodeSelectorTerms`,
 *   operators In, NotIn, Exists, DoesNotExist, Gt, Lt; `matchFields` on `metadata.name`);
 * - `VolumeBinding`: the required node affinity of the PersistentVolumes the pod's claims are
 *   bound to (zonal disks, local volumes);
 * - `InterPodAffinity`, anti-affinity only, topology `kubernetes.io/hostname`: the pod's
 *   required anti-affinity terms against the pods on the candidate node, and the required
 *   hostname anti-affinity terms of the pods already there against the pod.
 * Also: nodes whose `Ready` condition is not `True` take no pods (the node lifecycle
 * controller taints them; the dump may predate the taint).
 *
 * Not modelled: required pod affinity, anti-affinity on other topology keys (zone),
 * topology spread constraints, host ports, ephemeral storage and extended resources (GPUs),
 * volume limits per node, preemption of lower-priority pods, and the cluster autoscaler
 * adding nodes. The placement is greedy (pods by priority, then by size, each on the feasible
 * node with the most free capacity among the first 100 feasible ones, as the scheduler scores a
 * sample of nodes in large clusters), not an optimal bin packing, so a "fits nowhere" verdict
 * can in rare cases be pessimistic and a "fits" verdict optimistic.
 *
 * Sources: kube-scheduler plugins `noderesources/fit.go`, `nodeunschedulable`,
 * `tainttoleration`, `nodeaffinity`, `volumebinding`, `interpodaffinity`
 * (kubernetes/kubernetes `pkg/scheduler/framework/plugins/`), `ToleratesTaint` in
 * `k8s.io/api/core/v1/toleration.go`, and "Assigning Pods to Nodes"
 * (kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/).
 */
import type { NodeInfo, Taint } from '../sources/inputs/core.js';
import { matches, type Selector } from './selectors.js';

/** A toleration as in `spec.tolerations` (`operator` defaults to `Equal`). */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** A `NodeSelectorRequirement` (node affinity, PV node affinity). */
export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

/** A `NodeSelectorTerm`: all its requirements must hold; terms of a list are ORed. */
export interface NodeSelectorTerm {
  matchExpressions: NodeSelectorRequirement[];
  matchFields: NodeSelectorRequirement[];
}

/** A required pod (anti-)affinity term, its selectors parsed (`null`: matches nothing). */
export interface PodAffinityTerm {
  topologyKey: string;
  selector: Selector | null;
  /** Namespaces named by the term; with neither these nor `namespaceSelector`: the pod's own. */
  namespaces: string[];
  /** Namespaces by label; `[]` selects every namespace. Absent when the term has none. */
  namespaceSelector?: Selector;
}

export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** `ToleratesTaint`: empty effect tolerates every effect, `Exists` with an empty key every key. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/** The first `NoSchedule`/`NoExecute` taint the tolerations do not tolerate. */
export function untoleratedTaint(tolerations: Toleration[], taints: Taint[]): Taint | undefined {
  return taints.find((taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerations.some((t) => tolerates(t, taint)));
}

function requirementHolds(r: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || r.values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(r.values[0]!, 10);
      if (!Number.isInteger(have) || !Number.isInteger(want) || String(have) !== value.trim()) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/**
 * True when the node satisfies one of the terms (`nodeSelectorTerms` are ORed; a term with no
 * requirement matches nothing, as in `k8s.io/component-helpers/scheduling/corev1/nodeaffinity`).
 */
export function matchesNodeSelectorTerms(terms: NodeSelectorTerm[], node: Pick<NodeInfo, 'name' | 'labels'>): boolean {
  return terms.some(
    (t) =>
      (t.matchExpressions.length > 0 || t.matchFields.length > 0) &&
      t.matchExpressions.every((r) => requirementHolds(r, Object.prototype.hasOwnProperty.call(node.labels, r.key) ? node.labels[r.key] : undefined)) &&
      t.matchFields.every((r) => r.key === 'metadata.name' && requirementHolds(r, node.name)),
  );
}

/** True when every `spec.nodeSelector` entry is a label of the node. */
export function matchesNodeSelector(nodeSelector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(nodeSelector)) if (labels[k] !== v) return false;
  return true;
}

/** What the fit needs to know of a pod. */
export interface SchedulingPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  priority?: number;
  requests: { cpuCores: number; memoryBytes: number };
  nodeSelector: Record<string, string>;
  requiredNodeAffinity: NodeSelectorTerm[];
  tolerations: Toleration[];
  requiredAntiAffinity: PodAffinityTerm[];
}

/** A pod to place, with the node constraints of its bound PersistentVolumes. */
export interface PlacementRequest<P extends SchedulingPod = SchedulingPod> {
  pod: P;
  /** Required node affinity of each bound PV (every one must hold). */
  volumeAffinity: NodeSelectorTerm[][];
}

/** Why a pod fits nowhere: candidate nodes rejected, counted per reason (as the scheduler's event). */
export type Rejections = Record<string, number>;

export type PlacementResult<P extends SchedulingPod> =
  | { pod: P; node: string }
  | { pod: P; node?: undefined; rejections: Rejections };

interface Usage {
  cpuCores: number;
  memoryBytes: number;
  pods: number;
}

/** How many feasible nodes are scored per pod before choosing (the scheduler samples too). */
const FEASIBLE_SAMPLE = 100;

/**
 * The nodes and what is bound to them, for fitting pods onto them. Built once per cluster;
 * each `place` call works on an overlay of its own and leaves the model unchanged.
 */
export class ClusterFit<P extends SchedulingPod = SchedulingPod> {
  private readonly nodes: NodeInfo[];
  private readonly used = new Map<string, Usage>();
  private readonly podsOn = new Map<string, P[]>();
  /** Per node: its pods that carry required hostname anti-affinity terms. */
  private readonly antiOn = new Map<string, P[]>();
  /** Nodes passing the static filters, per scheduling signature of a request. */
  private readonly eligible = new Map<string, NodeInfo[]>();

  /**
   * `pods` are the pods bound to nodes that count against their capacity (the caller leaves
   * out Succeeded and Failed pods); `namespaceLabels` resolves anti-affinity namespace selectors
   * (without it, a term with a non-empty namespace selector is taken to cover the pod's own
   * namespace; an empty one covers every namespace).
   */
  constructor(
    nodes: NodeInfo[],
    pods: Array<P & { nodeName?: string }>,
    private readonly namespaceLabels?: ReadonlyMap<string, Record<string, string>>,
  ) {
    this.nodes = [...nodes].sort((a, b) => cmp(a.name, b.name));
    for (const n of this.nodes) {
      this.used.set(n.name, { cpuCores: 0, memoryBytes: 0, pods: 0 });
      this.podsOn.set(n.name, []);
      this.antiOn.set(n.name, []);
    }
    for (const p of pods) {
      const u = p.nodeName ? this.used.get(p.nodeName) : undefined;
      if (!u) continue;
      u.cpuCores += p.requests.cpuCores;
      u.memoryBytes += p.requests.memoryBytes;
      u.pods += 1;
      this.podsOn.get(p.nodeName!)!.push(p);
      if (hasHostnameAntiAffinity(p)) this.antiOn.get(p.nodeName!)!.push(p);
    }
  }

  /**
   * Places the pods one after the other (higher priority first, then larger CPU and memory
   * requests), on nodes not in `excluded`, each taking the room earlier ones used. A pod that
   * fits nowhere comes back with the rejected nodes counted per reason.
   */
  place(requests: PlacementRequest<P>[], excluded: ReadonlySet<string>): PlacementResult<P>[] {
    const overlay = new Overlay<P>();
    const order = [...requests].sort(
      (a, b) =>
        (b.pod.priority ?? 0) - (a.pod.priority ?? 0) ||
        b.pod.requests.cpuCores - a.pod.requests.cpuCores ||
        b.pod.requests.memoryBytes - a.pod.requests.memoryBytes ||
        cmp(`${a.pod.namespace}/${a.pod.name}`, `${b.pod.namespace}/${b.pod.name}`),
    );
    const out: PlacementResult<P>[] = [];
    for (const req of order) {
      let best: { node: string; score: number } | undefined;
      let feasible = 0;
      for (const node of this.eligibleNodes(req)) {
        if (excluded.has(node.name) || this.dynamicReason(req.pod, node, overlay)) continue;
        const score = this.freeAfter(req.pod, node, overlay);
        if (!best || score > best.score) best = { node: node.name, score };
        if (++feasible >= FEASIBLE_SAMPLE) break;
      }
      if (best) {
        overlay.add(best.node, req.pod);
        out.push({ pod: req.pod, node: best.node });
      } else {
        out.push({ pod: req.pod, rejections: this.rejections(req, excluded, overlay) });
      }
    }
    return out;
  }

  private eligibleNodes(req: PlacementRequest<P>): NodeInfo[] {
    const p = req.pod;
    const sig = JSON.stringify([p.nodeSelector, p.requiredNodeAffinity, p.tolerations, req.volumeAffinity]);
    let list = this.eligible.get(sig);
    if (!list) {
      list = this.nodes.filter((n) => this.staticReason(req, n) === undefined);
      this.eligible.set(sig, list);
    }
    return list;
  }

  /** Every node's reason for rejecting the pod, counted (only for a pod that fits nowhere). */
  private rejections(req: PlacementRequest<P>, excluded: ReadonlySet<string>, overlay: Overlay<P>): Rejections {
    const r: Rejections = {};
    for (const node of this.nodes) {
      const why = excluded.has(node.name) ? 'being drained' : (this.staticReason(req, node) ?? this.dynamicReason(req.pod, node, overlay));
      if (why) r[why] = (r[why] ?? 0) + 1;
    }
    return r;
  }

  /** The filters that depend on the node alone (readiness, cordon, taints, affinity, volumes). */
  private staticReason(req: PlacementRequest<P>, node: NodeInfo): string | undefined {
    const pod = req.pod;
    if (node.ready !== 'True') return 'node not Ready';
    if (node.unschedulable && !pod.tolerations.some((t) => tolerates(t, UNSCHEDULABLE_TAINT))) return 'node unschedulable';
    const taint = untoleratedTaint(pod.tolerations, node.taints);
    if (taint) return `untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
    if (!matchesNodeSelector(pod.nodeSelector, node.labels)) return "didn't match Pod's node affinity/selector";
    if (pod.requiredNodeAffinity.length > 0 && !matchesNodeSelectorTerms(pod.requiredNodeAffinity, node)) return "didn't match Pod's node affinity/selector";
    if (req.volumeAffinity.some((terms) => !matchesNodeSelectorTerms(terms, node))) return 'volume node affinity conflict';
    return undefined;
  }

  /** The filters that depend on what runs on the node: capacity and hostname anti-affinity. */
  private dynamicReason(pod: P, node: NodeInfo, overlay: Overlay<P>): string | undefined {
    const u = this.used.get(node.name)!;
    const extra = overlay.usage(node.name);
    if ((node.allocatable.pods ?? Infinity) - u.pods - extra.pods < 1) return 'Too many pods';
    if ((node.allocatable.cpuCores ?? Infinity) - u.cpuCores - extra.cpuCores + 1e-9 < pod.requests.cpuCores) return 'Insufficient cpu';
    if ((node.allocatable.memoryBytes ?? Infinity) - u.memoryBytes - extra.memoryBytes < pod.requests.memoryBytes) return 'Insufficient memory';
    if (this.antiAffinityConflict(pod, node.name, overlay)) return "didn't match pod anti-affinity rules";
    return undefined;
  }

  /** LeastAllocated-like score: the CPU and memory shares left free after placing the pod. */
  private freeAfter(pod: P, node: NodeInfo, overlay: Overlay<P>): number {
    const u = this.used.get(node.name)!;
    const extra = overlay.usage(node.name);
    const share = (alloc: number | undefined, used: number): number => (alloc && alloc > 0 ? (alloc - used) / alloc : 1);
    return (
      share(node.allocatable.cpuCores, u.cpuCores + extra.cpuCores + pod.requests.cpuCores) +
      share(node.allocatable.memoryBytes, u.memoryBytes + extra.memoryBytes + pod.requests.memoryBytes)
    );
  }

  private antiAffinityConflict(pod: P, nodeName: string, overlay: Overlay<P>): boolean {
    if (hasHostnameAntiAffinity(pod)) {
      for (const term of pod.requiredAntiAffinity) {
        if (term.topologyKey !== HOSTNAME_LABEL) continue;
        for (const other of this.podsOn.get(nodeName)!) if (this.termMatches(term, pod.namespace, other)) return true;
        for (const other of overlay.podsOn(nodeName)) if (this.termMatches(term, pod.namespace, other)) return true;
      }
    }
    const theirs = (other: P): boolean =>
      other.requiredAntiAffinity.some((term) => term.topologyKey === HOSTNAME_LABEL && this.termMatches(term, other.namespace, pod));
    for (const other of this.antiOn.get(nodeName)!) if (theirs(other)) return true;
    for (const other of overlay.podsOn(nodeName)) if (hasHostnameAntiAffinity(other) && theirs(other)) return true;
    return false;
  }

  /** Whether `target` is selected by a term of a pod in `ownNamespace`. */
  private termMatches(term: PodAffinityTerm, ownNamespace: string, target: P): boolean {
    if (!matches(term.selector, target.labels)) return false;
    if (term.namespaces.length === 0 && term.namespaceSelector === undefined) return target.namespace === ownNamespace;
    if (term.namespaces.includes(target.namespace)) return true;
    if (term.namespaceSelector === undefined) return false;
    if (term.namespaceSelector.length === 0) return true;
    if (!this.namespaceLabels) return target.namespace === ownNamespace;
    return matches(term.namespaceSelector, this.namespaceLabels.get(target.namespace) ?? {});
  }
}

/** Placements made during one `place` call, on top of the pods bound to the nodes. */
class Overlay<P extends SchedulingPod = SchedulingPod> {
  private readonly added = new Map<string, { usage: Usage; pods: P[] }>();

  add(node: string, pod: P): void {
    const e = this.added.get(node) ?? { usage: { cpuCores: 0, memoryBytes: 0, pods: 0 }, pods: [] };
    e.usage.cpuCores += pod.requests.cpuCores;
    e.usage.memoryBytes += pod.requests.memoryBytes;
    e.usage.pods += 1;
    e.pods.push(pod);
    this.added.set(node, e);
  }

  usage(node: string): Usage {
    return this.added.get(node)?.usage ?? { cpuCores: 0, memoryBytes: 0, pods: 0 };
  }

  podsOn(node: string): readonly P[] {
    return this.added.get(node)?.pods ?? [];
  }
}

function hasHostnameAntiAffinity(p: SchedulingPod): boolean {
  return p.requiredAntiAffinity.some((t) => t.topologyKey === HOSTNAME_LABEL);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
