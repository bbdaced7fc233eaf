/**
 * PodDisruptionBudget semantics: which PDBs cover which pods, the disruption controller's
 * budget arithmetic, and what the Eviction API answers for one pod.
 *
 * Sources (kubernetes/kubernetes):
 * - `pkg/controller/disruption/disruption.go`: `getExpectedPodCount`, `getExpectedScale`
 *   (controller finders: ReplicationController, Deployment via its ReplicaSet, ReplicaSet not
 *   owned by a Deployment, StatefulSet, then any owner serving the `scale` subresource; an
 *   owner without it fails the sync and `failSafe` sets `disruptionsAllowed` to 0; pods with
 *   no controller are left out of the expected count), `countHealthyPods`, `updatePdbStatus`
 *   (`disruptionsAllowed` forced to 0 when `expectedCount <= 0`);
 * - `k8s.io/apimachinery/pkg/util/intstr.GetScaledValueFromIntOrPercent` (percentages rounded up);
 * - `pkg/registry/core/pod/storage/eviction.go`: `canIgnorePDB` (Succeeded, Failed, Pending or
 *   deleting pods bypass PDBs), more than one matching PDB → 500, unready pods under
 *   `unhealthyPodEvictionPolicy`, `checkAndDecrement` (stale `observedGeneration` → 429,
 *   `disruptionsAllowed` 0 → 429, negative → 403).
 */
import type { PdbInfo, PodInfo, WorkloadInfo } from '../contract/values/pdb.js';
import { matches } from './selectors.js';

/** `namespace/name` of a namespaced object. */
export const keyOf = (o: { namespace: string; name: string }): string => `${o.namespace}/${o.name}`;

/**
 * Orders two namespaced objects as their `keyOf` strings compare (UTF-16 code units), building
 * those strings only when one namespace is a prefix of the other (`a` against `a-b`, where the
 * `/` decides). Returns -1, 0 or 1.
 */
export function compareKeys(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  const x = a.namespace;
  const y = b.namespace;
  if (x === y) return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  if (!x.startsWith(y) && !y.startsWith(x)) return x < y ? -1 : 1;
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Which PDBs select which pods (same namespace, selector as eviction evaluates it). */
export class PdbCoverage {
  private readonly byPdb = new Map<PdbInfo, PodInfo[]>();
  private readonly byPod = new Map<PodInfo, PdbInfo[]>();
  private static readonly cache = new WeakMap<readonly PdbInfo[], WeakMap<readonly PodInfo[], PdbCoverage>>();

  /**
   * The coverage of these PDBs over these pods, built once per pair of input lists: the pdb
   * checks of one scan receive the same lists and share the index (it is never modified).
   */
  static of(pdbs: readonly PdbInfo[], pods: readonly PodInfo[]): PdbCoverage {
    let byPods = PdbCoverage.cache.get(pdbs);
    if (!byPods) PdbCoverage.cache.set(pdbs, (byPods = new WeakMap()));
    let c = byPods.get(pods);
    if (!c) byPods.set(pods, (c = new PdbCoverage(pdbs, pods)));
    return c;
  }

  /**
   * Indexes pods by namespace, and by value of the label keys PDB selectors ask for (each key
   * indexed once per namespace, on first use), then evaluates each PDB against the pods that
   * carry the label of its first `In` requirement (or every pod of its namespace). A value
   * listed twice in that requirement selects its pods once.
   */
  constructor(pdbs: readonly PdbInfo[], pods: readonly PodInfo[]) {
    const byNs = new Map<string, PodInfo[]>();
    for (const p of pods) {
      const list = byNs.get(p.namespace);
      if (list) list.push(p);
      else byNs.set(p.namespace, [p]);
    }
    /** namespace → label key → value → pods. */
    const labelIndex = new Map<string, Map<string, Map<string, PodInfo[]>>>();
    const withLabel = (ns: string, key: string): Map<string, PodInfo[]> => {
      let byKey = labelIndex.get(ns);
      if (!byKey) labelIndex.set(ns, (byKey = new Map<string, Map<string, PodInfo[]>>()));
      let byValue = byKey.get(key);
      if (!byValue) {
        byKey.set(key, (byValue = new Map<string, PodInfo[]>()));
        for (const p of byNs.get(ns) ?? []) {
          if (!Object.prototype.hasOwnProperty.call(p.labels, key)) continue;
          const v = p.labels[key]!;
          const l = byValue.get(v);
          if (l) l.push(p);
          else byValue.set(v, [p]);
        }
      }
      return byValue;
    };
    for (const pdb of pdbs) {
      const selected: PodInfo[] = [];
      if (pdb.selector !== null) {
        const first = pdb.selector.find((r) => r.operator === 'In');
        const candidates = first
          ? [...new Set(first.values)].flatMap((v) => withLabel(pdb.namespace, first.key).get(v) ?? [])
          : (byNs.get(pdb.namespace) ?? []);
        for (const p of candidates) {
          if (!matches(pdb.selector, p.labels)) continue;
          selected.push(p);
          const l = this.byPod.get(p);
          if (l) l.push(pdb);
          else this.byPod.set(p, [pdb]);
        }
      }
      this.byPdb.set(pdb, selected);
    }
  }

  /** Pods the PDB selects. */
  podsOf(pdb: PdbInfo): readonly PodInfo[] {
    return this.byPdb.get(pdb) ?? [];
  }

  /** PDBs that select the pod. */
  pdbsOf(pod: PodInfo): readonly PdbInfo[] {
    return this.byPod.get(pod) ?? [];
  }
}

/** Workloads by kind, namespace and name (nested maps: a look-up builds no key string). */
export class WorkloadIndex {
  private readonly map = new Map<string, Map<string, Map<string, WorkloadInfo>>>();
  private readonly unreadKinds: ReadonlySet<string>;
  private static readonly cache = new WeakMap<readonly WorkloadInfo[], Map<string, WorkloadIndex>>();

  /**
   * The index of this input list, built once and shared by the checks of a scan (read-only).
   * `unreadKinds`: workload kinds the input could not read (its unread parts), whose objects
   * are unknown rather than absent.
   */
  static of(workloads: readonly WorkloadInfo[], unreadKinds: Iterable<string> = []): WorkloadIndex {
    const kinds = [...new Set(unreadKinds)].sort();
    const byKinds = WorkloadIndex.cache.get(workloads) ?? new Map<string, WorkloadIndex>();
    WorkloadIndex.cache.set(workloads, byKinds);
    let i = byKinds.get(kinds.join(','));
    if (!i) byKinds.set(kinds.join(','), (i = new WorkloadIndex(workloads, kinds)));
    return i;
  }

  constructor(workloads: readonly WorkloadInfo[], unreadKinds: Iterable<string> = []) {
    for (const w of workloads) {
      let byNs = this.map.get(w.kind);
      if (!byNs) this.map.set(w.kind, (byNs = new Map<string, Map<string, WorkloadInfo>>()));
      let byName = byNs.get(w.namespace);
      if (!byName) byNs.set(w.namespace, (byName = new Map<string, WorkloadInfo>()));
      byName.set(w.name, w);
    }
    this.unreadKinds = new Set(unreadKinds);
  }

  /** True when objects of this kind were not read: one not found may exist. */
  unread(kind: string): boolean {
    return this.unreadKinds.has(kind);
  }

  get(kind: string, namespace: string, name: string): WorkloadInfo | undefined {
    return this.map.get(kind)?.get(namespace)?.get(name);
  }

  /** The pod's controller object, if it is one of the indexed kinds and exists (same uid when both are known). */
  controllerOf(pod: PodInfo): WorkloadInfo | undefined {
    const ref = pod.controller;
    if (!ref) return undefined;
    const w = this.get(ref.kind, pod.namespace, ref.name);
    return w && (!ref.uid || !w.uid || ref.uid === w.uid) ? w : undefined;
  }
}

/** How the disruption controller finds the scale of a pod's controller. */
export type ScaleOwner =
  | { type: 'scale'; workload: WorkloadInfo; replicas: number }
  /** No controller reference: left out of the expected count (event `UnmanagedPods`). */
  | { type: 'unmanaged' }
  /** A controller without scale (DaemonSet, Job, Node) or one that does not exist: sync fails, budget 0. */
  | { type: 'no-scale'; kind: string; name: string; missing: boolean }
  /** A controller of another kind (it may serve `scale`: custom resources), or of a kind that was not read: not known here. */
  | { type: 'unknown'; kind: string; name: string };

const NO_SCALE_KINDS: ReadonlySet<string> = new Set(['DaemonSet', 'Job', 'Node', 'CronJob']);
const SCALE_KINDS: ReadonlySet<string> = new Set(['ReplicationController', 'ReplicaSet', 'StatefulSet', 'Deployment']);

/** The scale owner of a pod, following the controller's finders. */
export function scaleOwner(pod: PodInfo, workloads: WorkloadIndex): ScaleOwner {
  const ref = pod.controller;
  if (!ref) return { type: 'unmanaged' };
  if (NO_SCALE_KINDS.has(ref.kind)) return { type: 'no-scale', kind: ref.kind, name: ref.name, missing: false };
  if (!SCALE_KINDS.has(ref.kind)) return { type: 'unknown', kind: ref.kind, name: ref.name };
  const w = workloads.controllerOf(pod);
  if (!w)
    return workloads.unread(ref.kind)
      ? { type: 'unknown', kind: ref.kind, name: ref.name }
      : { type: 'no-scale', kind: ref.kind, name: ref.name, missing: true };
  if (w.kind === 'ReplicaSet' && w.controller?.kind === 'Deployment') {
    const d = workloads.get('Deployment', w.namespace, w.controller.name);
    if (!d && workloads.unread('Deployment')) return { type: 'unknown', kind: 'Deployment', name: w.controller.name };
    if (!d || (w.controller.uid && d.uid && w.controller.uid !== d.uid))
      return { type: 'no-scale', kind: 'Deployment', name: w.controller.name, missing: true };
    return { type: 'scale', workload: d, replicas: d.replicas ?? 1 };
  }
  return { type: 'scale', workload: w, replicas: w.replicas ?? 1 };
}

/** The expected pods of a set of pods, as `getExpectedScale` counts them. */
export interface ExpectedScale {
  /** Σ `spec.replicas` of the distinct scale owners. */
  scaleCount: number;
  /** Distinct scale owners, by kind and name. */
  owners: WorkloadInfo[];
  unmanaged: PodInfo[];
  noScale: Array<{ pod: PodInfo; owner: Extract<ScaleOwner, { type: 'no-scale' }> }>;
  unknown: Array<{ pod: PodInfo; owner: Extract<ScaleOwner, { type: 'unknown' }> }>;
}

export function expectedScale(pods: readonly PodInfo[], workloads: WorkloadIndex): ExpectedScale {
  const seen = new Map<string, WorkloadInfo>();
  const out: ExpectedScale = { scaleCount: 0, owners: [], unmanaged: [], noScale: [], unknown: [] };
  for (const pod of pods) {
    const o = scaleOwner(pod, workloads);
    if (o.type === 'scale') seen.set(`${o.workload.kind}/${o.workload.name}`, o.workload);
    else if (o.type === 'unmanaged') out.unmanaged.push(pod);
    else if (o.type === 'no-scale') out.noScale.push({ pod, owner: o });
    else out.unknown.push({ pod, owner: o });
  }
  out.owners = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, w]) => w);
  for (const w of out.owners) out.scaleCount += w.replicas ?? 1;
  return out;
}

/**
 * `GetScaledValueFromIntOrPercent(v, total, roundUp=true)`: an integer as is, `"N%"` as
 * ⌈N·total/100⌉; `undefined` for anything else (the controller fails the sync on it).
 */
export function resolveIntOrPercent(v: number | string, total: number): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return undefined;
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** True when the spec's value is a percentage string. */
export const isPercent = (v: number | string | undefined): boolean => typeof v === 'string' && v.endsWith('%');

/** True for `0` and `"0%"`: zero whatever the scale. */
export const isZero = (v: number | string | undefined): boolean => v === 0 || (typeof v === 'string' && /^0+%$/.test(v));

/** What a PDB's spec allows when every expected pod is healthy. */
export interface SpecBudget {
  /** The expected pod count the spec is resolved against. */
  expectedPods: number;
  desiredHealthy: number;
  /** Disruptions allowed with all expected pods healthy: `expectedPods − desiredHealthy`, at least 0. */
  allowedWhenHealthy: number;
  /** `maxUnavailable` resolved (when it is the field in use). */
  maxUnavailable?: number;
}

/**
 * The controller's arithmetic applied to the steady state: `maxUnavailable` (integer or
 * percentage) and percentage `minAvailable` resolve against the owners' replicas; integer
 * `minAvailable` against the pods (`expectedPods`). Returns `undefined` when the spec sets
 * neither field or holds a value the controller rejects.
 */
export function specBudget(pdb: PdbInfo, expectedPods: number): SpecBudget | undefined {
  let desired: number;
  let maxUnavailable: number | undefined;
  if (pdb.maxUnavailable !== undefined) {
    maxUnavailable = resolveIntOrPercent(pdb.maxUnavailable, expectedPods);
    if (maxUnavailable === undefined) return undefined;
    desired = Math.max(0, expectedPods - maxUnavailable);
  } else if (pdb.minAvailable !== undefined) {
    const min = resolveIntOrPercent(pdb.minAvailable, expectedPods);
    if (min === undefined) return undefined;
    desired = min;
  } else {
    return undefined;
  }
  const allowed = expectedPods > 0 ? Math.max(0, expectedPods - desired) : 0;
  return {
    expectedPods,
    desiredHealthy: desired,
    allowedWhenHealthy: allowed,
    ...(maxUnavailable !== undefined ? { maxUnavailable } : {}),
  };
}

/**
 * The status is current when the controller has written `disruptionsAllowed` for the PDB's
 * current generation (`status.observedGeneration` equals `metadata.generation`). A stale
 * status makes evictions answer 429 until the controller catches up.
 */
export function statusFresh(pdb: PdbInfo): boolean {
  const s = pdb.status;
  if (s?.observedGeneration === undefined || s.disruptionsAllowed === undefined) return false;
  return pdb.generation === undefined || s.observedGeneration === pdb.generation;
}

/** What the Eviction API answers for one pod. */
export type EvictionVerdict =
  /** Succeeded, Failed, Pending or already deleting: deleted without looking at PDBs. */
  | { kind: 'ignores-pdb' }
  | { kind: 'no-pdb' }
  /** More than one PDB: 500, never evictable. */
  | { kind: 'several-pdbs'; pdbs: readonly PdbInfo[] }
  /** The PDB's status is behind its spec: 429 until the controller catches up. */
  | { kind: 'stale'; pdb: PdbInfo }
  /** `disruptionsAllowed` is 0 (429) or negative (403). */
  | { kind: 'blocked'; pdb: PdbInfo; disruptionsAllowed: number }
  /** Allowed; `consumes` when it takes one of the budget's disruptions (a healthy pod). */
  | { kind: 'allowed'; pdb: PdbInfo; consumes: boolean };

const IGNORES_PDB: EvictionVerdict = Object.freeze({ kind: 'ignores-pdb' });
const NO_PDB: EvictionVerdict = Object.freeze({ kind: 'no-pdb' });

/** The Eviction API's answer for the pod (the `ignores-pdb` and `no-pdb` answers are shared frozen objects). */
export function evictionVerdict(pod: PodInfo, coverage: PdbCoverage): EvictionVerdict {
  if (pod.deletionTimestamp || pod.phase === 'Succeeded' || pod.phase === 'Failed' || pod.phase === 'Pending') return IGNORES_PDB;
  const pdbs = coverage.pdbsOf(pod);
  if (pdbs.length === 0) return NO_PDB;
  if (pdbs.length > 1) return { kind: 'several-pdbs', pdbs };
  const pdb = pdbs[0]!;
  const s = pdb.status;
  if (!pod.ready) {
    if (pdb.unhealthyPodEvictionPolicy === 'AlwaysAllow') return { kind: 'allowed', pdb, consumes: false };
    const current = s?.currentHealthy ?? 0;
    const desired = s?.desiredHealthy ?? 0;
    if (current >= desired && desired > 0) return { kind: 'allowed', pdb, consumes: false };
  }
  if (!statusFresh(pdb)) return { kind: 'stale', pdb };
  const allowed = s!.disruptionsAllowed!;
  if (allowed <= 0) return { kind: 'blocked', pdb, disruptionsAllowed: allowed };
  return { kind: 'allowed', pdb, consumes: true };
}
