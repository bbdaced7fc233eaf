/**
 * Inputs of the `pdb` family: PodDisruptionBudgets, pods (slim), the workloads that own pods,
 * and PersistentVolumes/Claims (for volumes bound to one node or zone).
 *
 * Every object is reduced to the fields the drain and disruption logic reads; a pod keeps
 * its labels, phase, readiness, controller, summed requests, volume kinds and names, and its
 * scheduling constraints — a few hundred bytes, so 150,000 pods stay well under 1 GB.
 */
import { arr, dig, isRecord, num, str, strMap, type KubeObject } from '../../k8s/objects.js';
import { parseQuantity } from '../../k8s/quantity.js';
import { R } from '../../k8s/resources.js';
import type { NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm, Toleration } from '../../k8s/scheduling.js';
import { fromLabelSelector, SelectorError, type LabelSelector, type Selector } from '../../k8s/selectors.js';
import type { ResourceInputDef } from '../input-def.js';

/** The controller owner reference of an object (`ownerReferences[]` with `controller: true`). */
export interface ControllerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
}

/** A `PodDisruptionBudget`, `policy/v1` semantics whatever version it was read through. */
export interface PdbInfo {
  namespace: string;
  name: string;
  /** The version it was read through (`policy/v1`, or `policy/v1beta1` on clusters before 1.21). */
  apiVersion: string;
  generation?: number;
  /**
   * The selector as eviction evaluates it: `[]` matches every pod of the namespace, `null`
   * matches none (a null selector, an empty selector read through `policy/v1beta1`, or an
   * invalid one — eviction ignores PDBs whose selector does not parse).
   */
  selector: Selector | null;
  /** Why the selector could not be parsed, when it could not. */
  selectorError?: string;
  /** `spec.minAvailable` / `spec.maxUnavailable`: an integer or a percentage string (`"50%"`). */
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  /** `IfHealthyBudget` or `AlwaysAllow`; absent when unset (behaves as `IfHealthyBudget`). */
  unhealthyPodEvictionPolicy?: string;
  /** `status`, absent when the disruption controller never wrote one. */
  status?: PdbStatus;
}

export interface PdbStatus {
  observedGeneration?: number;
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  expectedPods?: number;
  /** Number of entries of `status.disruptedPods` (evictions the controller has not yet seen land). */
  disruptedPods: number;
  /** `DisruptionAllowed` condition: `status` and `reason` (`SufficientPods`, `InsufficientPods`, `SyncFailed`). */
  disruptionAllowed?: { status: string; reason?: string; message?: string };
}

/** Names of a pod's volumes, by the kinds the drain logic cares about. */
export interface PodVolumes {
  /** Every volume source kind present (`configMap`, `emptyDir`, `persistentVolumeClaim`, …), sorted. */
  kinds: string[];
  emptyDir: string[];
  hostPath: string[];
  /** Claim names: `persistentVolumeClaim.claimName`, and `<pod>-<volume>` for generic ephemeral volumes. */
  claims: string[];
}

/** A pod reduced to what disruption, drain and scheduling logic reads. */
export interface PodInfo {
  namespace: string;
  name: string;
  uid?: string;
  nodeName?: string;
  /** `status.phase`: Pending, Running, Succeeded, Failed, Unknown. */
  phase?: string;
  /** `Ready` condition is `True`. */
  ready: boolean;
  deletionTimestamp?: string;
  labels: Record<string, string>;
  controller?: ControllerRef;
  /** A mirror of a static pod (annotation `kubernetes.io/config.mirror`). */
  mirror: boolean;
  priority?: number;
  /**
   * Effective requests as the scheduler sums them: the larger of the app containers (plus
   * sidecar init containers) and the largest init container step, plus `spec.overhead`;
   * pod-level `spec.resources.requests` win where set. CPU in cores, memory in bytes.
   */
  requests: { cpuCores: number; memoryBytes: number };
  volumes: PodVolumes;
  nodeSelector: Record<string, string>;
  /** `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`. */
  requiredNodeAffinity: NodeSelectorTerm[];
  tolerations: Toleration[];
  /** `affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution`. */
  requiredAntiAffinity: PodAffinityTerm[];
}

export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'ReplicationController';

/** A pod-owning workload. */
export interface WorkloadInfo {
  apiVersion: string;
  kind: WorkloadKind;
  namespace: string;
  name: string;
  uid?: string;
  /** `spec.replicas` (defaults to 1) for kinds with a scale subresource; absent otherwise. */
  replicas?: number;
  /** Serves the `scale` subresource (Deployment, ReplicaSet, StatefulSet, ReplicationController). */
  scale: boolean;
  /** `spec.selector` parsed (`null` when absent or invalid). */
  selector: Selector | null;
  /** `spec.template.metadata.labels`. */
  templateLabels: Record<string, string>;
  controller?: ControllerRef;
}

/** A PersistentVolume: whether its data lives on one node, and where it can be used. */
export interface PersistentVolumeInfo {
  name: string;
  /** `spec.local` or `spec.hostPath`: the data is on one node's disk. */
  local: boolean;
  /** `spec.nodeAffinity.required.nodeSelectorTerms` (empty when unrestricted). */
  nodeAffinity: NodeSelectorTerm[];
  /** `spec.claimRef` as `namespace/name`. */
  claim?: string;
  phase?: string;
}

export interface PersistentVolumeClaimInfo {
  namespace: string;
  name: string;
  /** `spec.volumeName`: the bound PersistentVolume. */
  volumeName?: string;
  phase?: string;
}

declare module '../input-types.js' {
  interface InputTypes {
    pdbs: PdbInfo[];
    pods: PodInfo[];
    workloads: WorkloadInfo[];
    persistentvolumes: PersistentVolumeInfo[];
    persistentvolumeclaims: PersistentVolumeClaimInfo[];
  }
}

const intOrPercent = (v: unknown): number | string | undefined => (typeof v === 'number' || typeof v === 'string' ? v : undefined);

function parseSelector(raw: unknown): { selector: Selector | null; error?: string } {
  try {
    return { selector: fromLabelSelector(raw as LabelSelector | null | undefined) };
  } catch (e) {
    if (e instanceof SelectorError) return { selector: null, error: e.message };
    throw e;
  }
}

function controllerOf(o: KubeObject): ControllerRef | undefined {
  const ref = arr(o.metadata.ownerReferences).find((r) => isRecord(r) && r.controller === true) as Record<string, unknown> | undefined;
  if (!ref) return undefined;
  const out: ControllerRef = { apiVersion: String(ref.apiVersion ?? ''), kind: String(ref.kind ?? ''), name: String(ref.name ?? '') };
  if (typeof ref.uid === 'string') out.uid = ref.uid;
  return out;
}

/**
 * Normalizes a PDB of `policy/v1` or `policy/v1beta1`. In v1beta1 an empty selector (`{}`)
 * matched no pod; in v1 it matches every pod of the namespace. Objects read through v1 carry
 * the server's conversion markers (`pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match`),
 * which evaluate correctly as ordinary requirements (`pkg/apis/policy/helper.go`).
 */
export function normalizePdb(o: KubeObject): PdbInfo {
  const spec = dig(o, 'spec');
  const rawSelector = dig(spec, 'selector');
  let { selector, error } = parseSelector(rawSelector);
  if (o.apiVersion === 'policy/v1beta1' && selector !== null && selector.length === 0) selector = null;
  const pdb: PdbInfo = {
    namespace: o.metadata.namespace ?? 'default',
    name: o.metadata.name!,
    apiVersion: o.apiVersion,
    selector,
  };
  if (error) pdb.selectorError = error;
  if (typeof o.metadata.generation === 'number') pdb.generation = o.metadata.generation;
  const min = intOrPercent(dig(spec, 'minAvailable'));
  const max = intOrPercent(dig(spec, 'maxUnavailable'));
  if (min !== undefined) pdb.minAvailable = min;
  if (max !== undefined) pdb.maxUnavailable = max;
  const policy = str(dig(spec, 'unhealthyPodEvictionPolicy'));
  if (policy) pdb.unhealthyPodEvictionPolicy = policy;
  const s = dig(o, 'status');
  if (isRecord(s) && Object.keys(s).length > 0) {
    const status: PdbStatus = { disruptedPods: isRecord(s.disruptedPods) ? Object.keys(s.disruptedPods).length : 0 };
    const set = (k: keyof PdbStatus, v: unknown): void => {
      if (typeof v === 'number') (status as unknown as Record<string, number>)[k] = v;
    };
    set('observedGeneration', s.observedGeneration);
    set('disruptionsAllowed', s.disruptionsAllowed ?? s.podDisruptionsAllowed);
    set('currentHealthy', s.currentHealthy);
    set('desiredHealthy', s.desiredHealthy);
    set('expectedPods', s.expectedPods);
    const cond = arr(s.conditions).find((c) => isRecord(c) && c.type === 'DisruptionAllowed') as Record<string, unknown> | undefined;
    if (cond) {
      status.disruptionAllowed = { status: String(cond.status ?? '') };
      if (typeof cond.reason === 'string' && cond.reason) status.disruptionAllowed.reason = cond.reason;
      if (typeof cond.message === 'string' && cond.message) status.disruptionAllowed.message = cond.message;
    }
    pdb.status = status;
  }
  return pdb;
}

function nodeSelectorTerms(raw: unknown): NodeSelectorTerm[] {
  const reqs = (v: unknown): NodeSelectorRequirement[] =>
    arr(v)
      .filter(isRecord)
      .map((r) => ({ key: String(r.key ?? ''), operator: String(r.operator ?? ''), values: arr(r.values).map(String) }));
  return arr(raw)
    .filter(isRecord)
    .map((t) => ({ matchExpressions: reqs(t.matchExpressions), matchFields: reqs(t.matchFields) }));
}

function affinityTerms(raw: unknown): PodAffinityTerm[] {
  return arr(raw)
    .filter(isRecord)
    .map((t) => {
      const term: PodAffinityTerm = {
        topologyKey: String(t.topologyKey ?? ''),
        selector: parseSelector(t.labelSelector).selector,
        namespaces: arr(t.namespaces).map(String),
      };
      if (isRecord(t.namespaceSelector)) {
        const ns = parseSelector(t.namespaceSelector).selector;
        if (ns !== null) term.namespaceSelector = ns;
      }
      return term;
    });
}

type Amounts = { cpuCores: number; memoryBytes: number };
const amountsOf = (resources: unknown): Amounts => ({
  cpuCores: parseQuantity(dig(resources, 'requests', 'cpu')) ?? 0,
  memoryBytes: parseQuantity(dig(resources, 'requests', 'memory')) ?? 0,
});

/**
 * The scheduler's effective pod requests (`PodRequests` in
 * `k8s.io/component-helpers/resource/helpers.go`): app containers summed, sidecar init
 * containers (`restartPolicy: Always`) added to that sum, every other init container counted
 * with the sidecars started before it, the maximum of both per resource, plus `spec.overhead`.
 * Pod-level `spec.resources.requests` (PodLevelResources) replace the container sum where set.
 */
export function podRequests(spec: unknown): Amounts {
  const sum: Amounts = { cpuCores: 0, memoryBytes: 0 };
  for (const c of arr(dig(spec, 'containers'))) {
    const a = amountsOf(dig(c, 'resources'));
    sum.cpuCores += a.cpuCores;
    sum.memoryBytes += a.memoryBytes;
  }
  const sidecars: Amounts = { cpuCores: 0, memoryBytes: 0 };
  const initMax: Amounts = { cpuCores: 0, memoryBytes: 0 };
  for (const c of arr(dig(spec, 'initContainers'))) {
    const a = amountsOf(dig(c, 'resources'));
    let step: Amounts;
    if (dig(c, 'restartPolicy') === 'Always') {
      sum.cpuCores += a.cpuCores;
      sum.memoryBytes += a.memoryBytes;
      sidecars.cpuCores += a.cpuCores;
      sidecars.memoryBytes += a.memoryBytes;
      step = { ...sidecars };
    } else {
      step = { cpuCores: a.cpuCores + sidecars.cpuCores, memoryBytes: a.memoryBytes + sidecars.memoryBytes };
    }
    initMax.cpuCores = Math.max(initMax.cpuCores, step.cpuCores);
    initMax.memoryBytes = Math.max(initMax.memoryBytes, step.memoryBytes);
  }
  const podLevel = dig(spec, 'resources', 'requests');
  const cpuPod = parseQuantity(dig(podLevel, 'cpu'));
  const memPod = parseQuantity(dig(podLevel, 'memory'));
  return {
    cpuCores: (cpuPod ?? Math.max(sum.cpuCores, initMax.cpuCores)) + (parseQuantity(dig(spec, 'overhead', 'cpu')) ?? 0),
    memoryBytes: (memPod ?? Math.max(sum.memoryBytes, initMax.memoryBytes)) + (parseQuantity(dig(spec, 'overhead', 'memory')) ?? 0),
  };
}

/**
 * Pods of one workload repeat the same labels, tolerations, volumes and requests; one shared,
 * frozen copy per distinct value keeps 150,000 pods small. Values are read-only by contract.
 */
const shared = new Map<string, unknown>();
const EMPTY_LIST = Object.freeze([]);
const EMPTY_MAP = Object.freeze({});
function intern<T>(value: T): T {
  if (Array.isArray(value) && value.length === 0) return EMPTY_LIST as T;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    let empty = true;
    for (const _ in value) {
      empty = false;
      break;
    }
    if (empty) return EMPTY_MAP as T;
  }
  const key = JSON.stringify(value);
  const hit = shared.get(key);
  if (hit !== undefined) return hit as T;
  shared.set(key, Object.freeze(value));
  return value;
}

/** Reduces a Pod to `PodInfo`; its parts shared by many pods are interned. */
export function normalizePod(o: KubeObject): PodInfo {
  const pod = buildPod(o);
  pod.labels = intern(pod.labels);
  pod.volumes = intern(pod.volumes);
  pod.requests = intern(pod.requests);
  pod.nodeSelector = intern(pod.nodeSelector);
  pod.requiredNodeAffinity = intern(pod.requiredNodeAffinity);
  pod.tolerations = intern(pod.tolerations);
  pod.requiredAntiAffinity = intern(pod.requiredAntiAffinity);
  return pod;
}

function buildPod(o: KubeObject): PodInfo {
  const spec = dig(o, 'spec');
  const podName = o.metadata.name!;
  const volumes: PodVolumes = { kinds: [], emptyDir: [], hostPath: [], claims: [] };
  const kinds = new Set<string>();
  for (const v of arr(dig(spec, 'volumes')).filter(isRecord)) {
    const name = String(v.name ?? '');
    for (const k of Object.keys(v)) if (k !== 'name') kinds.add(k);
    if (isRecord(v.emptyDir)) volumes.emptyDir.push(name);
    if (isRecord(v.hostPath)) volumes.hostPath.push(name);
    const claim = str(dig(v, 'persistentVolumeClaim', 'claimName'));
    if (claim) volumes.claims.push(claim);
    if (isRecord(v.ephemeral)) volumes.claims.push(`${podName}-${name}`);
  }
  volumes.kinds = [...kinds].sort();
  const ready = arr(dig(o, 'status', 'conditions')).some((c) => isRecord(c) && c.type === 'Ready' && c.status === 'True');
  const pod: PodInfo = {
    namespace: o.metadata.namespace ?? 'default',
    name: podName,
    ready,
    labels: strMap(o.metadata.labels),
    mirror: o.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined,
    requests: podRequests(spec),
    volumes,
    nodeSelector: strMap(dig(spec, 'nodeSelector')),
    requiredNodeAffinity: nodeSelectorTerms(dig(spec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms')),
    tolerations: arr(dig(spec, 'tolerations'))
      .filter(isRecord)
      .map((t) => {
        const out: Toleration = {};
        for (const k of ['key', 'operator', 'value', 'effect'] as const) if (typeof t[k] === 'string') out[k] = t[k] as string;
        return out;
      }),
    requiredAntiAffinity: affinityTerms(dig(spec, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')),
  };
  if (o.metadata.uid) pod.uid = o.metadata.uid;
  const nodeName = str(dig(spec, 'nodeName'));
  if (nodeName) pod.nodeName = nodeName;
  const phase = str(dig(o, 'status', 'phase'));
  if (phase) pod.phase = phase;
  if (o.metadata.deletionTimestamp) pod.deletionTimestamp = o.metadata.deletionTimestamp;
  const controller = controllerOf(o);
  if (controller) pod.controller = controller;
  const priority = num(dig(spec, 'priority'));
  if (priority !== undefined) pod.priority = priority;
  return pod;
}

const SCALABLE: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

/** Reduces a Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or ReplicationController. */
export function normalizeWorkload(o: KubeObject): WorkloadInfo {
  const kind = o.kind as WorkloadKind;
  const spec = dig(o, 'spec');
  const rawSelector = dig(spec, 'selector');
  // A ReplicationController's selector is a plain label map.
  const selector = kind === 'ReplicationController' && isRecord(rawSelector) ? { selector: fromLabelSelector({ matchLabels: strMap(rawSelector) }) } : parseSelector(rawSelector);
  const w: WorkloadInfo = {
    apiVersion: o.apiVersion,
    kind,
    namespace: o.metadata.namespace ?? 'default',
    name: o.metadata.name!,
    scale: SCALABLE.has(kind),
    selector: selector.selector,
    templateLabels: strMap(dig(spec, 'template', 'metadata', 'labels')),
  };
  if (o.metadata.uid) w.uid = o.metadata.uid;
  if (w.scale) w.replicas = num(dig(spec, 'replicas')) ?? 1;
  const controller = controllerOf(o);
  if (controller) w.controller = controller;
  return w;
}

export const pdbsInput: ResourceInputDef<PdbInfo> = {
  type: 'resources',
  key: 'pdbs',
  description: 'PodDisruptionBudgets (selector, minAvailable/maxUnavailable, unhealthyPodEvictionPolicy, status)',
  resources: [R.poddisruptionbudgets],
  normalize: normalizePdb,
};

export const podsInput: ResourceInputDef<PodInfo> = {
  type: 'resources',
  key: 'pods',
  description: 'Pods (labels, phase, readiness, controller, node, requests, volumes, scheduling constraints)',
  resources: [R.pods],
  normalize: normalizePod,
};

export const workloadsInput: ResourceInputDef<WorkloadInfo> = {
  type: 'resources',
  key: 'workloads',
  description: 'Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and ReplicationControllers (replicas, selector, owner)',
  resources: [R.deployments, R.replicasets, R.statefulsets, R.daemonsets, R.jobs, R.replicationcontrollers],
  normalize: normalizeWorkload,
};

export const persistentVolumesInput: ResourceInputDef<PersistentVolumeInfo> = {
  type: 'resources',
  key: 'persistentvolumes',
  description: 'PersistentVolumes (local or hostPath, node affinity, claim)',
  resources: [R.persistentvolumes],
  normalize(o) {
    const spec = dig(o, 'spec');
    const pv: PersistentVolumeInfo = {
      name: o.metadata.name!,
      local: isRecord(dig(spec, 'local')) || isRecord(dig(spec, 'hostPath')),
      nodeAffinity: nodeSelectorTerms(dig(spec, 'nodeAffinity', 'required', 'nodeSelectorTerms')),
    };
    const ns = str(dig(spec, 'claimRef', 'namespace'));
    const name = str(dig(spec, 'claimRef', 'name'));
    if (ns && name) pv.claim = `${ns}/${name}`;
    const phase = str(dig(o, 'status', 'phase'));
    if (phase) pv.phase = phase;
    return pv;
  },
};

export const persistentVolumeClaimsInput: ResourceInputDef<PersistentVolumeClaimInfo> = {
  type: 'resources',
  key: 'persistentvolumeclaims',
  description: 'PersistentVolumeClaims (bound volume)',
  resources: [R.persistentvolumeclaims],
  normalize(o) {
    const pvc: PersistentVolumeClaimInfo = { namespace: o.metadata.namespace ?? 'default', name: o.metadata.name! };
    const vol = str(dig(o, 'spec', 'volumeName'));
    if (vol) pvc.volumeName = vol;
    const phase = str(dig(o, 'status', 'phase'));
    if (phase) pvc.phase = phase;
    return pvc;
  },
};

export const PDB_INPUTS = [pdbsInput, podsInput, workloadsInput, persistentVolumesInput, persistentVolumeClaimsInput];
