/**
 * A drain simulation of every node with `kubectl drain --ignore-daemonsets
 * --delete-emptydir-data` semantics (`src/k8s/drain.ts`), and the order in which the nodes
 * that can be drained can go. Nothing is evicted and no dry-run request is sent: the answer
 * comes from the PDB statuses, the pods and the nodes as read.
 *
 * Findings, one per node and reason:
 * - `drain-blocked-by-pdb`: pods the Eviction API never lets go (under several PDBs → 500,
 *   or under one whose `disruptionsAllowed` is 0 → 429 forever); the drain never completes;
 * - `drain-needs-force`: pods without a controller (kubectl refuses without `--force`; with it
 *   they are deleted and nothing recreates them), or DaemonSet pods whose DaemonSet is gone;
 * - `pods-fit-nowhere`: evicted pods no other schedulable node can take (requests vs
 *   allocatable, selectors, affinity, taints, required pod anti-affinity; see `scheduling.ts`):
 *   they stay Pending until the node is back;
 * - `pods-on-local-volumes`: pods bound to local (or hostPath) PersistentVolumes, which can
 *   only run on this node: down for as long as it is drained;
 * - `emptydir-data-deleted`: pods whose emptyDir data the drain deletes.
 * A node with one of the first three is blocked and left out of the order. A node whose only
 * question is a PDB with a stale status is an unknown subject (left out too).
 *
 * `figures`: the `drain-plan` plan (`lib/plan-figure.ts`). `details`: `maxParallelDrains`; `drainOrder`, the waves
 * of node names in the order they are drained (`string[][]`); `nodes`, one `NodeDrain` per node
 * (`src/k8s/drain.ts`): evicted and skipped counts, `pdbBlocked`, `needsForce`, `fitsNowhere`,
 * `localVolumes`, `emptyDir`, `stale`, `budgets` (PDB, healthy pods evicted, disruptionsAllowed)
 * and `blocked`.
 *
 * Sources: kubectl `pkg/drain/filters.go` and `drain.go`; `pkg/registry/core/pod/storage/eviction.go`;
 * "Safely Drain a Node" and "Upgrading kubeadm clusters" (control plane first, then workers
 * one at a time or a few at a time without compromising capacity).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import { describeRejections, DrainPlanner, type NodeDrain } from '../../src/k8s/drain.js';
import { MAX_LISTED, plural, unreadWorkloadKinds } from './lib/common.js';
import { drainPlanFigure } from './lib/plan-figure.js';

const nodeRef = (name: string) => ({ apiVersion: 'v1', kind: 'Node', name });

/** The first `MAX_LISTED` entries and the total, for evidence. */
function capped<T>(list: T[]): { pods: T[]; podCount: number } {
  return { pods: list.slice(0, MAX_LISTED), podCount: list.length };
}

function findingsFor(d: NodeDrain): RawFinding[] {
  const out: RawFinding[] = [];
  const resource = nodeRef(d.node);
  const drainCmd = `kubectl drain ${d.node} --ignore-daemonsets --delete-emptydir-data`;
  if (d.pdbBlocked.length > 0) {
    const pdbs = [...new Set(d.pdbBlocked.flatMap((b) => b.pdbs))].sort();
    const several = d.pdbBlocked.filter((b) => b.reason === 'several-pdbs').length;
    const why = [
      ...(several > 0 ? [`${several} under several PDBs`] : []),
      ...(several < d.pdbBlocked.length ? [`${d.pdbBlocked.length - several} under a PDB that allows no disruption`] : []),
    ];
    out.push({
      rule: 'drain-blocked-by-pdb',
      resource,
      message:
        `Draining ${d.node} never completes: ${plural(d.pdbBlocked.length, 'pod')} cannot be evicted ` +
        `(${why.join(', ')}: ${pdbs.join(', ')}).`,
      evidence: { ...capped(d.pdbBlocked), pdbs },
      remediation:
        `Give each budget room (maxUnavailable: 1, or more replicas than minAvailable) and make ` +
        `overlapping selectors disjoint, then check ALLOWED DISRUPTIONS ≥ 1: ` +
        pdbs.map((p) => `kubectl get pdb -n ${p.split('/')[0]} ${p.split('/')[1]}`).join('; '),
    });
  }
  if (d.needsForce.length > 0) {
    const n = d.needsForce.length;
    const named = d.needsForce
      .slice(0, 5)
      .map((p) => `${p.pod}: ${p.reason === 'no-controller' ? 'no controller' : `${p.owner} not found`}`)
      .join(', ');
    out.push({
      rule: 'drain-needs-force',
      resource,
      message:
        `Draining ${d.node} stops at ${plural(n, 'pod')} that nothing would recreate ` +
        `(${named}${n > 5 ? ', …' : ''}): kubectl refuses without --force, and with it ` +
        `${n === 1 ? 'the pod is' : 'they are'} gone for good.`,
      evidence: capped(d.needsForce),
      remediation:
        `Run these pods under a controller (Deployment, StatefulSet, Job), or delete them knowingly ` +
        `before the upgrade (${drainCmd} --force deletes them).`,
    });
  }
  if (d.fitsNowhere.length > 0) {
    const pods = d.fitsNowhere.map((p) => ({
      pod: p.pod,
      cpuCores: p.cpuCores,
      memoryBytes: p.memoryBytes,
      reason: describeRejections(p.rejections),
    }));
    out.push({
      rule: 'pods-fit-nowhere',
      resource,
      message:
        `${plural(d.fitsNowhere.length, 'pod')} evicted from ${d.node} would fit on no other node and ` +
        `stay Pending until it is back: ${pods[0]!.pod} ` +
        `(${pods[0]!.reason})${pods.length > 1 ? ', …' : ''}.`,
      evidence: capped(pods),
      remediation:
        `Add capacity before the upgrade (a surge node that matches these pods' selectors and ` +
        `tolerations), or lower their requests; see kubectl describe node ${d.node}.`,
    });
  }
  if (d.localVolumes.length > 0) {
    const one = d.localVolumes.length === 1;
    const names = d.localVolumes
      .map((p) => p.pod)
      .slice(0, 5)
      .join(', ');
    out.push({
      rule: 'pods-on-local-volumes',
      resource,
      message:
        `${plural(d.localVolumes.length, 'pod')} on ${d.node} ${one ? 'uses' : 'use'} local PersistentVolumes (${names}): ` +
        `${one ? 'it' : 'they'} can run only on this node and stay down while it is drained.`,
      evidence: capped(d.localVolumes),
      remediation:
        `Drain ${d.node} only when the other replicas are Ready (the PDB enforces it), keep its ` +
        `maintenance short, and uncordon it right after: kubectl uncordon ${d.node}.`,
    });
  }
  if (d.emptyDir.length > 0) {
    out.push({
      rule: 'emptydir-data-deleted',
      resource,
      message: `Draining ${d.node} deletes the emptyDir data of ${plural(d.emptyDir.length, 'pod')} (${d.emptyDir
        .map((p) => p.pod)
        .slice(0, 5)
        .join(', ')}${d.emptyDir.length > 5 ? ', …' : ''}).`,
      evidence: capped(d.emptyDir),
      remediation:
        'Make sure nothing in those emptyDir volumes must survive (caches and scratch space only); move ' +
        'lasting data to a PersistentVolumeClaim.',
    });
  }
  return out;
}

export default defineCheck({
  id: 'pdb-drain-plan',
  family: 'pdb',
  title: 'Every node can be drained, and in what order',
  summary:
    'per node, `kubectl drain --ignore-daemonsets --delete-emptydir-data` simulated: PDB-blocked pods (critical), ' +
    'pods needing `--force` or fitting on no other node (high), pods on local volumes (medium), emptyDir data lost ' +
    "(low); the report's `details.drainOrder` gives the order nodes can go in (`maxParallelDrains`, default 1)",
  rationale:
    'An upgrade drains every node. A drain stalls forever on a pod whose PodDisruptionBudget allows ' +
    'no disruption, refuses pods without a controller, and leaves pods Pending when no other node ' +
    'can take them. Knowing this per node before the upgrade avoids a stalled upgrade at 2 a.m.',
  remediation:
    'Fix the reasons given per node (PodDisruptionBudgets, bare pods, capacity), then drain the ' +
    'nodes in the order of the plan: `kubectl drain <node> --ignore-daemonsets ' +
    '--delete-emptydir-data`, upgrade, `kubectl uncordon <node>`, next.',
  references: [
    'https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/',
    'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-upgrade/',
    'https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/',
  ],
  defaultSeverity: 'high',
  rules: {
    'drain-blocked-by-pdb': { title: 'Node drain blocked by PodDisruptionBudgets', severity: 'critical' },
    'drain-needs-force': { title: 'Node drain refused: pods without a controller (needs --force, pods lost)', severity: 'high' },
    'pods-fit-nowhere': { title: 'Pods evicted from the node fit on no other node', severity: 'high' },
    'pods-on-local-volumes': { title: 'Pods bound to local PersistentVolumes are down while the node is drained', severity: 'medium' },
    'emptydir-data-deleted': { title: 'Drain deletes emptyDir data', severity: 'low' },
  },
  requires: ['nodes', 'pods', 'pdbs', 'workloads'],
  // namespaces: their labels, for the namespaceSelector of pod (anti-)affinity terms.
  // PersistentVolumes and their claims only add constraints (pods pinned to a node's local
  // volume): without them the PDB and placement findings stand, and the engine names them.
  optional: ['namespaces', 'persistentvolumes', 'persistentvolumeclaims'],
  defaultOptions: { maxParallelDrains: 1 },
  optionSchema: {
    maxParallelDrains: {
      type: 'integer',
      min: 1,
      description: 'most nodes drained at the same time in the plan (1 = one at a time, the usual rolling upgrade)',
    },
  },
  run({ nodes, pods, pdbs, workloads, optional }, ctx) {
    const ns = optional.namespaces;
    const persistentvolumes = optional.persistentvolumes.value ?? [];
    const persistentvolumeclaims = optional.persistentvolumeclaims.value ?? [];
    const namespaceLabels = ns.status === 'ok' ? new Map(ns.value.map((n) => [n.name, n.labels])) : undefined;
    const planner = new DrainPlanner({
      nodes,
      pods,
      pdbs,
      workloads,
      persistentVolumes: persistentvolumes,
      persistentVolumeClaims: persistentvolumeclaims,
      namespaceLabels,
      unreadWorkloadKinds: unreadWorkloadKinds(ctx),
    });
    const drains = planner.simulateAll();
    const findings = drains.flatMap(findingsFor);
    const unknowns: Unknown[] = drains
      .filter((d) => !d.blocked && d.stale.length > 0)
      .map((d) => ({
        resource: nodeRef(d.node),
        reason:
          `${plural(d.stale.length, 'pod')} on the node ${d.stale.length === 1 ? 'is' : 'are'} under ` +
          `PodDisruptionBudgets whose status is behind their spec ` +
          `(${[...new Set(d.stale.map((s) => s.pdb))].sort().join(', ')}): evictions answer 429 until the ` +
          `disruption controller catches up`,
      }));
    const maxParallelDrains = ctx.options.maxParallelDrains;
    const drainOrder = planner.order(drains, maxParallelDrains);
    return {
      evaluated: nodes.length,
      findings,
      unknowns,
      details: { maxParallelDrains, drainOrder, nodes: drains },
      figures: drains.length > 0 ? [drainPlanFigure(drains, drainOrder, maxParallelDrains)] : [],
      ...(nodes.length === 0 ? { notApplicable: 'the cluster has no Node objects' } : {}),
    };
  },
});
