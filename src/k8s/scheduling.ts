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
 * - `InterPodAffinity`, required anti-affinity only, on any `topologyKey` (hostname, zone…):
 *   the pod's terms against the pods in the candidate node's domain, and the terms of the pods
 *   in that domain against the pod (a node without the `topologyKey` label is in no domain).
 * Also: nodes whose `Ready` condition is not `True` take no pods (the node lifecycle
 * controller taints them; the dump may predate the taint).
 *
 * Not modelled: required pod affinity, topology spread constraints, host ports, ephemeral
 * storage and extended resources (GPUs), volume limits per node, preemption of lower-priority
 * pods, and the cluster autoscaler adding nodes. The placement is greedy (pods by priority, then
 * by size, each on the feasible node with the most free capacity, see `ClusterFit`), not an
 * optimal bin packing, so a "fits nowhere" verdict can in rare cases be pessimistic and a
 * "fits" verdict optimistic.
 *
 * Sources: kube-scheduler plugins `noderesources/fit.go`, `nodeunschedulable`,
 * `tainttoleration`, `nodeaffinity`, `volumebinding`, `interpodaffinity`
 * (kubernetes/kubernetes `pkg/scheduler/framework/plugins/`; `least_allocated.go` for the
 * scoring, `interpodaffinity/filtering.go` for the anti-affinity counts), `ToleratesTaint` in
 * `k8s.io/api/core/v1/toleration.go`, and "Assigning Pods to Nodes"
 * (kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/).
 */
import type { NodeInfo, Taint } from '../contract/values/core.js';
import { compareKeys } from './disruption.js';
import { matches } from './selectors.js';
import type { Toleration, NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm } from '../contract/values/scheduling.js';

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
  return taints.find(
    (taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerations.some((t) => tolerates(t, taint)),
  );
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
      t.matchExpressions.every((r) =>
        requirementHolds(r, Object.prototype.hasOwnProperty.call(node.labels, r.key) ? node.labels[r.key] : undefined),
      ) &&
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

export type PlacementResult<P extends SchedulingPod> = { pod: P; node: string } | { pod: P; node?: undefined; rejections: Rejections };

/** Placements that build on each other (drain waves); `close` undoes them all. */
export interface FitSession<P extends SchedulingPod = SchedulingPod> {
  /**
   * Drains one more node: it takes no pods from now on, and `requests` (its evicted pods) plus
   * the pods this session placed on it earlier are placed on the nodes left, taking the room
   * the session's earlier placements used. Returns true when every one of them fits; when one
   * does not, the session is left as it was before the call.
   */
  drain(node: string, requests: Array<PlacementRequest<P>>): boolean;
  /** Undoes every placement and exclusion of the session (sessions close in reverse order of opening). */
  close(): void;
}

/** Nodes passing the static filters for one scheduling signature of a request. */
interface Signature {
  /** Per node index: the static filter that rejects it, if any. */
  reason: Array<string | undefined>;
  /** The nodes passing them, by free share before any placement (highest first), then by name. */
  order: number[];
  /**
   * `order[0..cursor)` are all touched or excluded (so `choose` finds them in `touched` or
   * skips them), valid while `epoch` is the fit's: placements only add touched and excluded
   * nodes, and undoing them starts a new epoch.
   */
  cursor: number;
  epoch: number;
}

/** How many of the freest eligible nodes the fast path of `unplaceable` looks at per signature. */
const FAST_PATH_PROBES = 8;

/**
 * The nodes and what is bound to them, for fitting pods onto them. Built once per cluster;
 * `place`, `unplaceable` and a `session` change it while they run and leave it as it was.
 *
 * Placement rule: the pods of a batch go one after the other (higher priority first, then larger
 * CPU and memory requests), each on the feasible node with the most free capacity — the node's
 * free CPU share plus free memory share, `(allocatable − requested) / allocatable`, as
 * kube-scheduler's default `NodeResourcesFit` scoring strategy `LeastAllocated` computes it
 * (`pkg/scheduler/framework/plugins/noderesources/least_allocated.go`) — ties broken by node
 * name. The shares are taken before the pod is added (the scheduler adds it first): for nodes of
 * the same allocatable both rank the nodes alike, and one order serves every pod. Every feasible
 * node is considered (the scheduler's `percentageOfNodesToScore` at 100%).
 *
 * Index (so that a placement costs about one node look-up rather than a scan of the cluster):
 * - per scheduling signature of a request (`nodeSelector`, required node affinity, tolerations,
 *   PV node affinity), the static filters run once over the nodes and leave the eligible nodes
 *   sorted by free share; a placement walks that order and the few nodes whose usage changed
 *   (kept sorted by their current free share) side by side and takes the first feasible node
 *   (a cursor per signature skips the head of the order that earlier placements touched, so
 *   the placements of a wave do not walk it again each);
 * - the bound pods are kept per node, not in a map over every pod: a pod's node is looked up
 *   only when it moves;
 * - required pod anti-affinity, when some pod declares it (otherwise no anti-affinity work is
 *   done at all): per term and topology domain (the value of the node label `topologyKey`),
 *   the number of pods the term selects and the number of pods carrying the term, updated as
 *   pods move (see `AntiAffinityIndex`).
 */
export class ClusterFit<P extends SchedulingPod = SchedulingPod> {
  private readonly nodes: NodeInfo[];
  private readonly indexOf = new Map<string, number>();
  private readonly alloc: { cpu: Float64Array; mem: Float64Array; pods: Float64Array };
  /** Current usage per node (bound pods plus placements in progress). */
  private readonly used: { cpu: Float64Array; mem: Float64Array; pods: Float64Array };
  /** Current free share per node (see the class docstring). */
  private readonly free: Float64Array;
  /** Node indices by free share before any placement, highest first, then by name. */
  private readonly byFree: number[];
  /** How many times each node is excluded (being drained) by the placements in progress. */
  private readonly excluded: Uint8Array;
  /** Nodes whose usage changed, by current free share (highest first), then by name. */
  private readonly touched: number[] = [];
  private readonly isTouched: Uint8Array;
  /** The bound pods (as read) per node index: a pod's node is found without a map over every pod. */
  private readonly podsOn: P[][];
  /** Where the placements in progress moved pods to (node index, -1: none). */
  private readonly moved = new Map<P, number>();
  /** Pods that were not bound, placed by the placements in progress. */
  private readonly unbound = new Set<P>();
  /** Requests placed on a node by the placements in progress. */
  private readonly placedOn = new Map<number, Array<PlacementRequest<P>>>();
  /** Undo steps of the placements in progress, in order. */
  private readonly undo: Array<() => void> = [];
  /** Bumped by every undo (see `Signature.cursor`). */
  private epoch = 0;
  private readonly sigByKey = new Map<string, Signature>();
  private readonly sigByIdentity = new Map<object, Map<object, Map<object, Signature>>>();
  /** The bound pods in the constructor's order, and the node index of each (`homes[k]` for `pods[k]`). */
  private readonly pods: P[];
  private readonly homes: number[];
  private anti: AntiAffinityIndex<P> | undefined;

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
    const n = this.nodes.length;
    this.nodes.forEach((node, i) => this.indexOf.set(node.name, i));
    const limit = (v: number | undefined): number => v ?? Infinity;
    this.alloc = {
      cpu: Float64Array.from(this.nodes, (x) => limit(x.allocatable.cpuCores)),
      mem: Float64Array.from(this.nodes, (x) => limit(x.allocatable.memoryBytes)),
      pods: Float64Array.from(this.nodes, (x) => limit(x.allocatable.pods)),
    };
    this.used = { cpu: new Float64Array(n), mem: new Float64Array(n), pods: new Float64Array(n) };
    this.excluded = new Uint8Array(n);
    this.isTouched = new Uint8Array(n);
    this.pods = [];
    this.homes = [];
    this.podsOn = this.nodes.map(() => []);
    let anti = false;
    for (const p of pods) {
      const i = p.nodeName === undefined ? undefined : this.indexOf.get(p.nodeName);
      if (i === undefined) continue;
      this.used.cpu[i]! += p.requests.cpuCores;
      this.used.mem[i]! += p.requests.memoryBytes;
      this.used.pods[i]! += 1;
      this.podsOn[i]!.push(p);
      this.pods.push(p);
      this.homes.push(i);
      if (p.requiredAntiAffinity.length > 0) anti = true;
    }
    this.free = Float64Array.from(this.nodes, (_, i) => this.freeShare(i));
    this.byFree = this.nodes.map((_, i) => i).sort((a, b) => this.free[b]! - this.free[a]! || a - b);
    if (anti) this.anti = new AntiAffinityIndex(this);
  }

  /**
   * Places the pods one after the other (see the class docstring), on nodes not in `excluded`,
   * each taking the room earlier ones used; a request's pod bound to a node leaves it first. A
   * pod that fits nowhere comes back with the rejected nodes counted per reason. Results come
   * in placement order.
   */
  place(requests: Array<PlacementRequest<P>>, excluded: ReadonlySet<string>): Array<PlacementResult<P>> {
    const mark = this.undo.length;
    try {
      for (const name of excluded) this.exclude(name);
      return this.placeAll(requests, false)!;
    } finally {
      this.rollback(mark);
    }
  }

  /**
   * The requests that `place` would leave unplaced, with their rejections. Fast path: when, for
   * each scheduling signature among them, one of the freest eligible nodes outside `excluded`
   * could take all the requests together, every pod fits and nothing is placed: whatever the
   * earlier pods took, that node keeps room for the next one. With required anti-affinity, that
   * node must also be allowed for every pod by the pods already bound (the pods of the batch
   * still counted where they are, which only forbids more), and lie in no domain of a term
   * by which one pod of the batch rejects another: then no placement of the batch's other pods
   * can make it forbidden.
   */
  unplaceable(requests: Array<PlacementRequest<P>>, excluded: ReadonlySet<string>): Array<{ pod: P; rejections: Rejections }> {
    if (this.roomForAll(requests, excluded)) return [];
    const out: Array<{ pod: P; rejections: Rejections }> = [];
    for (const r of this.place(requests, excluded)) if (r.node === undefined) out.push({ pod: r.pod, rejections: r.rejections });
    return out;
  }

  /** Opens a series of placements that build on each other (see `FitSession`). */
  session(): FitSession<P> {
    const mark = this.undo.length;
    return {
      drain: (node, requests) => {
        const step = this.undo.length;
        const i = this.indexOf.get(node);
        if (i !== undefined) this.exclude(node);
        const batch = [...(i === undefined ? [] : (this.placedOn.get(i) ?? [])), ...requests];
        if (this.placeAll(batch, true)) return true;
        this.rollback(step);
        return false;
      },
      close: () => this.rollback(mark),
    };
  }

  private roomForAll(requests: Array<PlacementRequest<P>>, excluded: ReadonlySet<string>): boolean {
    let cpu = 0;
    let mem = 0;
    let ownTerms = false;
    for (const r of requests) {
      if (r.pod.requiredAntiAffinity.length > 0) ownTerms = true;
      cpu += r.pod.requests.cpuCores;
      mem += r.pod.requests.memoryBytes;
    }
    if (ownTerms) this.anti ??= new AntiAffinityIndex(this);
    const { withinBatch, forbidden } = this.anti ? this.anti.batch(requests) : NO_BATCH_CONSTRAINTS;
    const done = new Set<Signature>();
    let previous: PlacementRequest<P> | undefined;
    for (const r of requests) {
      // Requests of one workload share their constraint objects: the same signature as the last one.
      if (previous && sameConstraints(previous, r)) continue;
      previous = r;
      const sig = this.signature(r);
      if (done.has(sig)) continue;
      done.add(sig);
      let probes = 0;
      let room = false;
      for (const i of sig.order) {
        if (excluded.has(this.nodes[i]!.name) || this.excluded[i]) continue;
        if (
          this.alloc.pods[i]! - this.used.pods[i]! >= requests.length &&
          this.alloc.cpu[i]! - this.used.cpu[i]! + 1e-9 >= cpu &&
          this.alloc.mem[i]! - this.used.mem[i]! >= mem &&
          withinBatch.every((e) => e.domains[i] === undefined) &&
          forbidden.every((f) => {
            const domain = f.domains[i];
            return domain === undefined || (f.counts.get(domain) ?? 0) === 0;
          })
        ) {
          room = true;
          break;
        }
        if (++probes >= FAST_PATH_PROBES) break;
      }
      if (!room) return false;
    }
    return true;
  }

  /** Places a batch; with `stopAtFirstFailure`, returns `undefined` as soon as a pod fits nowhere. */
  private placeAll(requests: Array<PlacementRequest<P>>, stopAtFirstFailure: boolean): Array<PlacementResult<P>> | undefined {
    const order = [...requests].sort(
      (a, b) =>
        (b.pod.priority ?? 0) - (a.pod.priority ?? 0) ||
        b.pod.requests.cpuCores - a.pod.requests.cpuCores ||
        b.pod.requests.memoryBytes - a.pod.requests.memoryBytes ||
        compareKeys(a.pod, b.pod),
    );
    if (!this.anti && order.some((r) => r.pod.requiredAntiAffinity.length > 0)) this.anti = new AntiAffinityIndex(this);
    for (const r of order) this.move(r, -1);
    const out: Array<PlacementResult<P>> = [];
    for (const r of order) {
      const sig = this.signature(r);
      const forbidden = this.anti?.forbidden(r.pod) ?? [];
      const i = this.choose(r.pod, sig, forbidden);
      if (i >= 0) {
        this.move(r, i);
        out.push({ pod: r.pod, node: this.nodes[i]!.name });
      } else {
        if (stopAtFirstFailure) return undefined;
        out.push({ pod: r.pod, rejections: this.rejections(r.pod, sig, forbidden) });
      }
    }
    return out;
  }

  /** The feasible node with the most free capacity (lowest index on ties), or -1. */
  private choose(pod: P, sig: Signature, forbidden: readonly Forbidden[]): number {
    const base = sig.order;
    const t = this.touched;
    let a = sig.epoch === this.epoch ? sig.cursor : 0;
    while (a < base.length && (this.isTouched[base[a]!] || this.excluded[base[a]!])) a++;
    sig.cursor = a;
    sig.epoch = this.epoch;
    let b = 0;
    for (;;) {
      while (a < base.length && (this.isTouched[base[a]!] || this.excluded[base[a]!])) a++;
      while (b < t.length && (this.excluded[t[b]!] || sig.reason[t[b]!] !== undefined)) b++;
      if (a >= base.length && b >= t.length) return -1;
      const i = b >= t.length || (a < base.length && this.before(base[a]!, t[b]!)) ? base[a++]! : t[b++]!;
      if (this.dynamicReason(pod, i, forbidden) === undefined) return i;
    }
  }

  private before(x: number, y: number): boolean {
    return this.free[x]! > this.free[y]! || (this.free[x] === this.free[y] && x < y);
  }

  /** Every node's reason for rejecting the pod, counted (only for a pod that fits nowhere). */
  private rejections(pod: P, sig: Signature, forbidden: readonly Forbidden[]): Rejections {
    const r: Rejections = {};
    for (let i = 0; i < this.nodes.length; i++) {
      const why = this.excluded[i] ? 'being drained' : (sig.reason[i] ?? this.dynamicReason(pod, i, forbidden));
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
    if (pod.requiredNodeAffinity.length > 0 && !matchesNodeSelectorTerms(pod.requiredNodeAffinity, node))
      return "didn't match Pod's node affinity/selector";
    if (req.volumeAffinity.some((terms) => !matchesNodeSelectorTerms(terms, node))) return 'volume node affinity conflict';
    return undefined;
  }

  /** The filters that depend on what runs on the node: capacity and pod anti-affinity. */
  private dynamicReason(pod: P, i: number, forbidden: readonly Forbidden[]): string | undefined {
    if (this.alloc.pods[i]! - this.used.pods[i]! < 1) return 'Too many pods';
    if (this.alloc.cpu[i]! - this.used.cpu[i]! + 1e-9 < pod.requests.cpuCores) return 'Insufficient cpu';
    if (this.alloc.mem[i]! - this.used.mem[i]! < pod.requests.memoryBytes) return 'Insufficient memory';
    for (const f of forbidden) {
      const domain = f.domains[i];
      if (domain !== undefined && (f.counts.get(domain) ?? 0) > 0) return "didn't match pod anti-affinity rules";
    }
    return undefined;
  }

  /** The static filters of a request, run once per scheduling signature. */
  private signature(req: PlacementRequest<P>): Signature {
    const p = req.pod;
    const byIdentity = req.volumeAffinity.length === 0;
    const hit = byIdentity ? this.sigByIdentity.get(p.nodeSelector)?.get(p.requiredNodeAffinity)?.get(p.tolerations) : undefined;
    if (hit) return hit;
    const key = JSON.stringify([p.nodeSelector, p.requiredNodeAffinity, p.tolerations, req.volumeAffinity]);
    let sig = this.sigByKey.get(key);
    if (!sig) {
      const reason = this.nodes.map((n) => this.staticReason(req, n));
      sig = { reason, order: this.byFree.filter((i) => reason[i] === undefined), cursor: 0, epoch: -1 };
      this.sigByKey.set(key, sig);
    }
    if (byIdentity) {
      let m1 = this.sigByIdentity.get(p.nodeSelector);
      if (!m1) this.sigByIdentity.set(p.nodeSelector, (m1 = new Map<object, Map<object, Signature>>()));
      let m2 = m1.get(p.requiredNodeAffinity);
      if (!m2) m1.set(p.requiredNodeAffinity, (m2 = new Map<object, Signature>()));
      m2.set(p.tolerations, sig);
    }
    return sig;
  }

  private freeShare(i: number): number {
    const share = (alloc: number, used: number): number => (alloc > 0 && alloc < Infinity ? (alloc - used) / alloc : 1);
    return share(this.alloc.cpu[i]!, this.used.cpu[i]!) + share(this.alloc.mem[i]!, this.used.mem[i]!);
  }

  private exclude(name: string): void {
    const i = this.indexOf.get(name);
    if (i === undefined) return;
    this.excluded[i]! += 1;
    this.undo.push(() => {
      this.excluded[i]! -= 1;
    });
  }

  /** Undoes the steps logged since `mark`, last first. */
  private rollback(mark: number): void {
    if (this.undo.length > mark) this.epoch++;
    while (this.undo.length > mark) this.undo.pop()!();
  }

  /** The node index a pod is on now, -1 when on none. */
  where(pod: P): number {
    return this.moved.get(pod) ?? this.home(pod);
  }

  /** `where` for a bound pod whose node index as read (`home`) the caller knows: no look-up of its node. */
  whereFrom(pod: P, home: number): number {
    return this.moved.get(pod) ?? home;
  }

  /** The node index a pod is bound to as read (one of the constructor's pods), -1 when none. */
  private home(pod: P & { nodeName?: string }): number {
    const i = pod.nodeName === undefined ? undefined : this.indexOf.get(pod.nodeName);
    return i !== undefined && this.podsOn[i]!.includes(pod) ? i : -1;
  }

  /** Moves a request's pod to node `to` (-1: off every node), with its usage and anti-affinity counts. */
  private move(req: PlacementRequest<P>, to: number): void {
    const pod = req.pod;
    const from = this.where(pod);
    if (from === to) return;
    const known = this.moved.has(pod);
    this.moved.set(pod, to);
    if (!known && from < 0) this.unbound.add(pod);
    this.anti?.move(pod, from, to);
    // Leaving a node being drained: its usage is read by no filter while it is excluded, and
    // every exclusion is undone after the moves that follow it, so it is left as is.
    if (from >= 0 && !this.excluded[from]) this.addUsage(from, pod, -1);
    const fromList = from >= 0 ? this.placedOn.get(from) : undefined;
    const k = fromList ? fromList.indexOf(req) : -1;
    if (k >= 0) fromList!.splice(k, 1);
    let toList: Array<PlacementRequest<P>> | undefined;
    if (to >= 0) {
      this.addUsage(to, pod, 1);
      toList = this.placedOn.get(to);
      if (!toList) this.placedOn.set(to, (toList = []));
      toList.push(req);
    }
    this.undo.push(() => {
      toList?.pop();
      if (k >= 0) fromList!.splice(k, 0, req);
      if (known) {
        this.moved.set(pod, from);
      } else {
        this.moved.delete(pod);
        this.unbound.delete(pod);
      }
      this.anti?.move(pod, to, from);
    });
  }

  /** Adds (`sign` 1) or removes (-1) a pod's requests on node `i`, keeping `touched` sorted. */
  private addUsage(i: number, pod: P, sign: 1 | -1): void {
    const old = {
      cpu: this.used.cpu[i]!,
      mem: this.used.mem[i]!,
      pods: this.used.pods[i]!,
      free: this.free[i]!,
      touched: this.isTouched[i] === 1,
    };
    if (old.touched) this.touched.splice(this.touchedAt(i), 1);
    this.used.cpu[i] = old.cpu + sign * pod.requests.cpuCores;
    this.used.mem[i] = old.mem + sign * pod.requests.memoryBytes;
    this.used.pods[i] = old.pods + sign;
    this.free[i] = this.freeShare(i);
    this.isTouched[i] = 1;
    this.insertTouched(i);
    this.undo.push(() => {
      this.touched.splice(this.touchedAt(i), 1);
      this.used.cpu[i] = old.cpu;
      this.used.mem[i] = old.mem;
      this.used.pods[i] = old.pods;
      this.free[i] = old.free;
      this.isTouched[i] = old.touched ? 1 : 0;
      if (old.touched) this.insertTouched(i);
    });
  }

  private insertTouched(i: number): void {
    this.touched.splice(this.touchedAt(i), 0, i);
  }

  /** Where node `i` is (or goes) in `touched`, by its current free share: a binary search. */
  private touchedAt(i: number): number {
    const t = this.touched;
    let lo = 0;
    let hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.before(t[mid]!, i)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** For the anti-affinity index: the nodes, the bound pods (with their node index as read) and the term semantics. */
  get model(): {
    nodes: readonly NodeInfo[];
    pods: readonly P[];
    homes: readonly number[];
    unbound: ReadonlySet<P>;
    termMatches: (term: PodAffinityTerm, ownNamespace: string, target: P) => boolean;
  } {
    return {
      nodes: this.nodes,
      pods: this.pods,
      homes: this.homes,
      unbound: this.unbound,
      termMatches: (term, ns, target) => this.termMatches(term, ns, target),
    };
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

/** Bound pods and the node index of each as read (`homes[k]` for `pods[k]`). */
interface BoundPods<P> {
  pods: P[];
  homes: number[];
}

/** Topology domains a pod may not go to: per node index its domain, and the pods counted per domain. */
interface Forbidden {
  domains: ReadonlyArray<string | undefined>;
  counts: ReadonlyMap<string, number>;
}

/** One required anti-affinity term of pods of one namespace, counted per topology domain. */
interface TermEntry {
  term: PodAffinityTerm;
  namespace: string;
  /** Per node index: the value of the term's `topologyKey` label. */
  domains: ReadonlyArray<string | undefined>;
  /** Pods the term selects, per domain. */
  selected: Map<string, number>;
  /** Pods carrying the term, per domain. */
  holders: Map<string, number>;
  /** The domains the term's selected pods forbid to a pod carrying it, and those its holders forbid to a pod it selects. */
  bySelected: Forbidden;
  byHolders: Forbidden;
  /** Scratch of `AntiAffinityIndex.batch`, valid while `gen` is the call's: pods of the batch holding the term. */
  held: number;
  /** Scratch of `AntiAffinityIndex.batch`: `WITHIN_BATCH`, `FORBIDS_SELECTED`, `FORBIDS_HOLDERS` set by the call `gen`. */
  flags: number;
  gen: number;
}

const WITHIN_BATCH = 1;
const FORBIDS_SELECTED = 2;
const FORBIDS_HOLDERS = 4;

/** The anti-affinity constraints of a batch (see `AntiAffinityIndex.batch`). */
interface BatchConstraints {
  withinBatch: readonly TermEntry[];
  forbidden: readonly Forbidden[];
}

const NO_BATCH_CONSTRAINTS: BatchConstraints = { withinBatch: [], forbidden: [] };

/**
 * Required pod anti-affinity, indexed as kube-scheduler's `InterPodAffinity` pre-filter counts
 * it (`pkg/scheduler/framework/plugins/interpodaffinity/filtering.go`): a node is rejected when,
 * in its domain of a term's `topologyKey` (a node without the label is not in any domain), the
 * incoming pod's term selects a pod, or a pod carries a term selecting the incoming pod.
 * Entries are built per distinct (term, namespace) from a label index of the bound pods and
 * updated incrementally on every pod move.
 */
class AntiAffinityIndex<P extends SchedulingPod> {
  private readonly entries = new Map<string, TermEntry>();
  /** Entries by the first `In` requirement of their selector: key → value → entries. */
  private readonly byLabel = new Map<string, Map<string, TermEntry[]>>();
  /** Entries whose selector has no `In` requirement: checked against every pod. */
  private readonly unkeyed: TermEntry[] = [];
  /** Bound pods by label value, for the label keys terms select on: key → value → pods. */
  private readonly podsByLabel = new Map<string, Map<string, BoundPods<P>>>();
  private readonly domainsByKey = new Map<string, Array<string | undefined>>();
  private readonly ownCache = new Map<PodAffinityTerm[], Map<string, TermEntry[]>>();
  /** Entries whose term selects a pod, per labels object and namespace (cleared when entries are added). */
  private readonly selectingCache = new Map<Record<string, string>, Map<string, TermEntry[]>>();
  /** Bumped by each `batch` call (see `TermEntry.gen`). */
  private generation = 0;
  /** The lists `batch` fills, reused from call to call. */
  private readonly scratch = {
    ownOf: [] as TermEntry[][],
    selectingOf: [] as TermEntry[][],
    forbidden: [] as Forbidden[],
    withinBatch: [] as TermEntry[],
  };

  private readonly model: ClusterFit<P>['model'];

  constructor(private readonly fit: ClusterFit<P>) {
    this.model = fit.model;
    const { pods, homes } = this.model;
    for (let k = 0; k < pods.length; k++) {
      const p = pods[k]!;
      if (p.requiredAntiAffinity.length === 0) continue;
      const i = fit.whereFrom(p, homes[k]!);
      for (const e of this.own(p)) bump(e.holders, i < 0 ? undefined : e.domains[i], 1);
    }
  }

  /**
   * The anti-affinity constraints of a batch of requests, for the fast path of
   * `ClusterFit.unplaceable`: `withinBatch`, the entries by which one pod of the batch rejects
   * another (held by one of them and selecting another; a pod's own term selecting itself does
   * not count), and `forbidden`, where the bound pods forbid one of them to go (each entry once).
   * Each pod's entries are looked up once; the entries' `gen`, `held` and `flags` stand in for
   * per-call sets. The lists returned are the index's scratch: valid until the next call.
   */
  batch(requests: ReadonlyArray<PlacementRequest<P>>): BatchConstraints {
    const gen = ++this.generation;
    const { ownOf, selectingOf, forbidden, withinBatch } = this.scratch;
    ownOf.length = 0;
    selectingOf.length = 0;
    forbidden.length = 0;
    withinBatch.length = 0;
    let held = false;
    const mark = (e: TermEntry): void => {
      if (e.gen === gen) return;
      e.gen = gen;
      e.held = 0;
      e.flags = 0;
    };
    for (const { pod } of requests) {
      const own = this.own(pod);
      const selecting = this.selecting(pod);
      ownOf.push(own);
      selectingOf.push(selecting);
      for (const e of own) {
        mark(e);
        e.held++;
        held = true;
        if (!(e.flags & FORBIDS_SELECTED) && e.selected.size > 0) {
          e.flags |= FORBIDS_SELECTED;
          forbidden.push(e.bySelected);
        }
      }
      for (const e of selecting) {
        if (e.holders.size === 0) continue;
        mark(e);
        if (!(e.flags & FORBIDS_HOLDERS)) {
          e.flags |= FORBIDS_HOLDERS;
          forbidden.push(e.byHolders);
        }
      }
    }
    if (!held) return this.scratch;
    for (let k = 0; k < selectingOf.length; k++) {
      for (const e of selectingOf[k]!) {
        if (e.gen !== gen || e.flags & WITHIN_BATCH) continue;
        if (e.held - (ownOf[k]!.includes(e) ? 1 : 0) > 0) {
          e.flags |= WITHIN_BATCH;
          withinBatch.push(e);
        }
      }
    }
    return this.scratch;
  }

  /** Where the pod may not go, for `ClusterFit.dynamicReason` (the pod itself is on no node). */
  forbidden(pod: P): Forbidden[] {
    const out: Forbidden[] = [];
    for (const e of this.own(pod)) if (e.selected.size > 0) out.push(e.bySelected);
    for (const e of this.selecting(pod)) if (e.holders.size > 0) out.push(e.byHolders);
    return out;
  }

  /** Updates the counts for a pod moving from node index `from` to `to` (-1: none). */
  move(pod: P, from: number, to: number): void {
    for (const e of this.selecting(pod)) {
      if (from >= 0) bump(e.selected, e.domains[from], -1);
      if (to >= 0) bump(e.selected, e.domains[to], 1);
    }
    if (pod.requiredAntiAffinity.length === 0) return;
    for (const e of this.own(pod)) {
      if (from >= 0) bump(e.holders, e.domains[from], -1);
      if (to >= 0) bump(e.holders, e.domains[to], 1);
    }
  }

  /** The entries of the pod's own terms (created on first sight). */
  private own(pod: P): TermEntry[] {
    if (pod.requiredAntiAffinity.length === 0) return [];
    let byNs = this.ownCache.get(pod.requiredAntiAffinity);
    if (!byNs) this.ownCache.set(pod.requiredAntiAffinity, (byNs = new Map<string, TermEntry[]>()));
    let list = byNs.get(pod.namespace);
    if (!list) {
      list = [...new Set(pod.requiredAntiAffinity.map((t) => this.entry(t, pod.namespace)))];
      byNs.set(pod.namespace, list);
    }
    return list;
  }

  /** The entries whose term selects the pod. */
  private selecting(pod: P): TermEntry[] {
    let byNs = this.selectingCache.get(pod.labels);
    if (!byNs) this.selectingCache.set(pod.labels, (byNs = new Map<string, TermEntry[]>()));
    let list = byNs.get(pod.namespace);
    if (!list) {
      list = [];
      for (const k in pod.labels)
        for (const e of this.byLabel.get(k)?.get(pod.labels[k]!) ?? []) if (this.model.termMatches(e.term, e.namespace, pod)) list.push(e);
      for (const e of this.unkeyed) if (this.model.termMatches(e.term, e.namespace, pod)) list.push(e);
      byNs.set(pod.namespace, list);
    }
    return list;
  }

  private entry(term: PodAffinityTerm, namespace: string): TermEntry {
    const key = `${namespace}\u0000${JSON.stringify(term)}`;
    const known = this.entries.get(key);
    if (known) return known;
    const domains = this.domains(term.topologyKey);
    const selected = new Map<string, number>();
    const holders = new Map<string, number>();
    const e: TermEntry = {
      term,
      namespace,
      domains,
      selected,
      holders,
      bySelected: { domains, counts: selected },
      byHolders: { domains, counts: holders },
      held: 0,
      flags: 0,
      gen: 0,
    };
    this.entries.set(key, e);
    this.selectingCache.clear();
    if (term.selector === null) return e;
    const first = term.selector.find((r) => r.operator === 'In');
    if (first) {
      let byValue = this.byLabel.get(first.key);
      if (!byValue) this.byLabel.set(first.key, (byValue = new Map<string, TermEntry[]>()));
      for (const v of first.values) byValue.set(v, [...(byValue.get(v) ?? []), e]);
    } else {
      this.unkeyed.push(e);
    }
    const { unbound, termMatches } = this.model;
    const count = (p: P, i: number): void => {
      if (i >= 0 && termMatches(term, namespace, p)) bump(e.selected, e.domains[i], 1);
    };
    const countBound = ({ pods, homes }: Readonly<{ pods: readonly P[]; homes: readonly number[] }>): void => {
      for (let k = 0; k < pods.length; k++) count(pods[k]!, this.fit.whereFrom(pods[k]!, homes[k]!));
    };
    if (first) {
      const byValue = this.podsWith(first.key);
      for (const v of first.values) {
        const bound = byValue.get(v);
        if (bound) countBound(bound);
      }
    } else {
      countBound(this.model);
    }
    for (const p of unbound) count(p, this.fit.where(p));
    return e;
  }

  /** The bound pods by their value of label `key` (indexed on first use of the key). */
  private podsWith(key: string): Map<string, BoundPods<P>> {
    let byValue = this.podsByLabel.get(key);
    if (!byValue) {
      byValue = new Map();
      const { pods, homes } = this.model;
      for (let k = 0; k < pods.length; k++) {
        const p = pods[k]!;
        if (!Object.prototype.hasOwnProperty.call(p.labels, key)) continue;
        const v = p.labels[key]!;
        const list = byValue.get(v);
        if (list) {
          list.pods.push(p);
          list.homes.push(homes[k]!);
        } else {
          byValue.set(v, { pods: [p], homes: [homes[k]!] });
        }
      }
      this.podsByLabel.set(key, byValue);
    }
    return byValue;
  }

  private domains(key: string): Array<string | undefined> {
    let d = this.domainsByKey.get(key);
    if (!d) {
      d = this.model.nodes.map((n) => (Object.prototype.hasOwnProperty.call(n.labels, key) ? n.labels[key] : undefined));
      this.domainsByKey.set(key, d);
    }
    return d;
  }
}

/** True when two requests share the objects their scheduling signature is read from (so they share it). */
function sameConstraints<P extends SchedulingPod>(a: PlacementRequest<P>, b: PlacementRequest<P>): boolean {
  return (
    a.volumeAffinity === b.volumeAffinity &&
    a.pod.nodeSelector === b.pod.nodeSelector &&
    a.pod.requiredNodeAffinity === b.pod.requiredNodeAffinity &&
    a.pod.tolerations === b.pod.tolerations
  );
}

/** Adds `by` to the count of `domain` (no domain: not counted), dropping counts that reach 0. */
function bump(counts: Map<string, number>, domain: string | undefined, by: number): void {
  if (domain === undefined) return;
  const n = (counts.get(domain) ?? 0) + by;
  if (n === 0) counts.delete(domain);
  else counts.set(domain, n);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
