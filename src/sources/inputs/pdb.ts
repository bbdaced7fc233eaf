/**
 * Inputs of the `pdb` family: PodDisruptionBudgets, pods (slim), the workloads that own pods,
 * and PersistentVolumes/Claims (for volumes bound to one node or zone).
 *
 * Every object is reduced to the fields the drain and disruption logic reads; a pod keeps
 * its labels, phase, readiness, controller, summed requests, volume kinds and names, and its
 * scheduling constraints — a few hundred bytes, so 150,000 pods stay well under 1 GB.
 */
import type { KubeObject } from '../../k8s/objects.js';
import { parseQuantity } from '../../k8s/quantity.js';
import { R } from '../../k8s/resources.js';
import type { NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm, Toleration } from '../../contract/values/scheduling.js';
import { fromLabelSelector, SelectorError } from '../../k8s/selectors.js';
import type { LabelSelector, Selector } from '../../contract/values/selectors.js';
import type { ResourceInputDef } from '../input-def.js';
import {
  labelSelector,
  optConditions,
  optList,
  optNum,
  optObject,
  optQuantities,
  optStr,
  optStrings,
  optStrMap,
  readAs,
  readInPlace,
  z,
} from '../schema.js';
import type {
  ControllerRef,
  PdbInfo,
  PdbStatus,
  PodVolumes,
  PodInfo,
  WorkloadKind,
  WorkloadInfo,
  PersistentVolumeInfo,
  PersistentVolumeClaimInfo,
} from '../../contract/values/pdb.js';

/** `IntOrString`: an integer or a percentage (`"50%"`). */
const intOrPercent = z.union([z.number(), z.string()], { error: 'expected an integer or a percentage string' }).nullish();

function parseSelector(raw: LabelSelector | null | undefined): { selector: Selector | null; error?: string } {
  try {
    return { selector: fromLabelSelector(raw) };
  } catch (e) {
    if (e instanceof SelectorError) return { selector: null, error: e.message };
    throw e;
  }
}

function controllerOf(o: KubeObject): ControllerRef | undefined {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller === true);
  if (!ref) return undefined;
  const out: ControllerRef = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name };
  if (typeof ref.uid === 'string') out.uid = ref.uid;
  return out;
}

/** The fields of a PodDisruptionBudget `normalizePdb` reads (policy/v1 and v1beta1). */
const PDB = z.object({
  spec: optObject({
    selector: labelSelector.nullish(),
    minAvailable: intOrPercent,
    maxUnavailable: intOrPercent,
    unhealthyPodEvictionPolicy: optStr,
  }),
  status: z
    .looseObject({
      observedGeneration: optNum,
      disruptionsAllowed: optNum,
      podDisruptionsAllowed: optNum,
      currentHealthy: optNum,
      desiredHealthy: optNum,
      expectedPods: optNum,
      disruptedPods: z.record(z.string(), z.unknown()).nullish(),
      conditions: optConditions,
    })
    .nullish(),
});

/**
 * Normalizes a PDB of `policy/v1` or `policy/v1beta1`. In v1beta1 an empty selector (`{}`)
 * matched no pod; in v1 it matches every pod of the namespace. Objects read through v1 carry
 * the server's conversion markers (`pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match`),
 * which evaluate correctly as ordinary requirements (`pkg/apis/policy/helper.go`).
 * Throws `InputError` for a field of the wrong type (`.spec.selector: expected an object, got a string`).
 */
export function normalizePdb(o: KubeObject): PdbInfo {
  const { spec, status: s } = readAs(PDB, o);
  const parsed = parseSelector(spec?.selector as LabelSelector | null | undefined);
  const { error } = parsed;
  let { selector } = parsed;
  if (o.apiVersion === 'policy/v1beta1' && selector !== null && selector.length === 0) selector = null;
  const pdb: PdbInfo = {
    namespace: o.metadata.namespace ?? 'default',
    name: o.metadata.name!,
    apiVersion: o.apiVersion,
    selector,
  };
  if (error) pdb.selectorError = error;
  if (typeof o.metadata.generation === 'number') pdb.generation = o.metadata.generation;
  if (spec?.minAvailable != null) pdb.minAvailable = spec.minAvailable;
  if (spec?.maxUnavailable != null) pdb.maxUnavailable = spec.maxUnavailable;
  if (spec?.unhealthyPodEvictionPolicy) pdb.unhealthyPodEvictionPolicy = spec.unhealthyPodEvictionPolicy;
  if (s && Object.keys(s).length > 0) {
    const status: PdbStatus = { disruptedPods: s.disruptedPods ? Object.keys(s.disruptedPods).length : 0 };
    const set = (k: keyof PdbStatus, v: number | null | undefined): void => {
      if (typeof v === 'number') (status as unknown as Record<string, number>)[k] = v;
    };
    set('observedGeneration', s.observedGeneration);
    set('disruptionsAllowed', s.disruptionsAllowed ?? s.podDisruptionsAllowed);
    set('currentHealthy', s.currentHealthy);
    set('desiredHealthy', s.desiredHealthy);
    set('expectedPods', s.expectedPods);
    const cond = s.conditions?.find((c) => c.type === 'DisruptionAllowed');
    if (cond) {
      status.disruptionAllowed = { status: cond.status ?? '' };
      if (cond.reason) status.disruptionAllowed.reason = cond.reason;
      if (cond.message) status.disruptionAllowed.message = cond.message;
    }
    pdb.status = status;
  }
  return pdb;
}

const requirement = { key: z.string(), operator: z.string(), values: optStrings };
/** `[]NodeSelectorTerm` (node affinity of pods and PersistentVolumes). */
const NODE_SELECTOR_TERMS = optList({ matchExpressions: optList(requirement), matchFields: optList(requirement) });
type RawTerms = z.output<typeof NODE_SELECTOR_TERMS>;

function nodeSelectorTerms(raw: RawTerms): NodeSelectorTerm[] {
  const reqs = (v: Array<z.output<z.ZodObject<typeof requirement>>> | null | undefined): NodeSelectorRequirement[] =>
    (v ?? []).map((r) => ({ key: r.key, operator: r.operator, values: r.values ?? [] }));
  return (raw ?? []).map((t) => ({ matchExpressions: reqs(t.matchExpressions), matchFields: reqs(t.matchFields) }));
}

const AFFINITY_TERMS = optList({
  topologyKey: optStr,
  labelSelector: labelSelector.nullish(),
  namespaces: optStrings,
  namespaceSelector: labelSelector.nullish(),
});

function affinityTerms(raw: z.output<typeof AFFINITY_TERMS>): PodAffinityTerm[] {
  return (raw ?? []).map((t) => {
    const term: PodAffinityTerm = {
      topologyKey: t.topologyKey ?? '',
      selector: parseSelector(t.labelSelector as LabelSelector | null | undefined).selector,
      namespaces: t.namespaces ?? [],
    };
    if (t.namespaceSelector) {
      const ns = parseSelector(t.namespaceSelector as LabelSelector).selector;
      if (ns !== null) term.namespaceSelector = ns;
    }
    return term;
  });
}

const RESOURCES = optObject({ requests: optQuantities });

/**
 * The pod spec fields the scheduler's request sum reads (`podRequests`): only an init
 * container's `restartPolicy` decides anything (a sidecar), so only there is it read.
 */
const REQUEST_FIELDS = {
  containers: optList({ resources: RESOURCES }),
  initContainers: optList({ resources: RESOURCES, restartPolicy: optStr }),
  resources: RESOURCES,
  overhead: optQuantities,
};
const REQUESTS_SPEC = z.object(REQUEST_FIELDS).nullish();

interface Amounts {
  cpuCores: number;
  memoryBytes: number;
}
type Requests = Record<string, string | number> | null | undefined;

const amountsOf = (requests: Requests): Amounts => ({
  cpuCores: parseQuantity(requests?.cpu) ?? 0,
  memoryBytes: parseQuantity(requests?.memory) ?? 0,
});

/**
 * The scheduler's effective pod requests (`PodRequests` in
 * `k8s.io/component-helpers/resource/helpers.go`): app containers summed, sidecar init
 * containers (`restartPolicy: Always`) added to that sum, every other init container counted
 * with the sidecars started before it, the maximum of both per resource, plus `spec.overhead`.
 * Pod-level `spec.resources.requests` (PodLevelResources) replace the container sum where set.
 * `spec`: a pod spec (`spec.template.spec` of a workload). CPU in cores, memory in bytes.
 * Throws `InputError` for a field of the wrong type (path relative to the spec).
 */
export function podRequests(spec: unknown): Amounts {
  return requestsOf(readAs(REQUESTS_SPEC, spec));
}

function requestsOf(spec: z.output<typeof REQUESTS_SPEC>): Amounts {
  const sum: Amounts = { cpuCores: 0, memoryBytes: 0 };
  for (const c of spec?.containers ?? []) {
    const a = amountsOf(c.resources?.requests);
    sum.cpuCores += a.cpuCores;
    sum.memoryBytes += a.memoryBytes;
  }
  const sidecars: Amounts = { cpuCores: 0, memoryBytes: 0 };
  const initMax: Amounts = { cpuCores: 0, memoryBytes: 0 };
  for (const c of spec?.initContainers ?? []) {
    const a = amountsOf(c.resources?.requests);
    let step: Amounts;
    if (c.restartPolicy === 'Always') {
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
  const podLevel = spec?.resources?.requests;
  const cpuPod = parseQuantity(podLevel?.cpu);
  const memPod = parseQuantity(podLevel?.memory);
  return {
    cpuCores: (cpuPod ?? Math.max(sum.cpuCores, initMax.cpuCores)) + (parseQuantity(spec?.overhead?.cpu) ?? 0),
    memoryBytes: (memPod ?? Math.max(sum.memoryBytes, initMax.memoryBytes)) + (parseQuantity(spec?.overhead?.memory) ?? 0),
  };
}

/**
 * Pods of one workload repeat the same labels, tolerations, volumes and requests; one shared,
 * frozen copy per distinct value keeps 150,000 pods small. Values are read-only by contract.
 * A list holds the pods of one workload together, so a field's value is first compared with the
 * one the pod before shared (`slot`: the field); other values are told apart by a structural
 * hash, then compared (same keys in the same order, same values), without serializing them.
 */
const shared = new Map<number, unknown[]>();
const lastShared: unknown[] = [];
const EMPTY_LIST = Object.freeze([]);
const EMPTY_MAP = Object.freeze({});
function intern<T>(value: T, slot: number): T {
  if (Array.isArray(value) && value.length === 0) return EMPTY_LIST as T;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    let empty = true;
    for (const _ in value) {
      empty = false;
      break;
    }
    if (empty) return EMPTY_MAP as T;
  }
  const last = lastShared[slot];
  if (last !== undefined && sameValue(last, value)) return last as T;
  lastShared[slot] = value;
  const h = hashValue(value, 0x811c9dc5);
  const bucket = shared.get(h);
  if (bucket === undefined) shared.set(h, [Object.freeze(value)]);
  else {
    for (const hit of bucket) if (sameValue(hit, value)) return (lastShared[slot] = hit) as T;
    bucket.push(Object.freeze(value));
  }
  return value;
}

/** One FNV-1a step. */
const mix = (h: number, x: number): number => Math.imul(h ^ x, 16777619);

/** FNV-1a over a JSON-like value's structure and (some of) its contents. */
function hashValue(v: unknown, h: number): number {
  if (typeof v === 'string') {
    // The length and up to 16 characters (spread over the string, the last one included):
    // values that collide are told apart by `sameValue`.
    h = mix(h, v.length);
    const step = v.length > 16 ? v.length >> 4 : 1;
    for (let i = v.length - 1; i >= 0; i -= step) h = mix(h, v.charCodeAt(i));
    return h;
  }
  if (typeof v === 'number') return mix(h, (v * 1000) | 0);
  if (typeof v === 'boolean') return mix(h, v ? 0x74 : 0x66);
  if (v === null || typeof v !== 'object') return mix(h, 0x6e);
  if (Array.isArray(v)) {
    h = mix(h, 0x5b);
    for (const item of v) h = hashValue(item, h);
    return h;
  }
  h = mix(h, 0x7b);
  for (const k in v) h = hashValue((v as Record<string, unknown>)[k], hashValue(k, h));
  return h;
}

/** Deep equality of JSON-like values: same keys in the same order, same values. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !sameValue((a as Record<string, unknown>)[ka[i]!], (b as Record<string, unknown>)[kb[i]!])) return false;
  }
  return true;
}

/** Reduces a Pod to `PodInfo`; its parts shared by many pods are interned. */
export function normalizePod(o: KubeObject): PodInfo {
  return internPod(buildPod(o), intern);
}

/**
 * Interns again the shared parts of a `PodInfo` normalized on the loading thread (a structured
 * clone keeps the sharing inside one message only). `memo`: parts of the same message already
 * interned, by identity, so that a part many of a message's pods share is compared once.
 */
export function reinternPod(pod: PodInfo, memo: Map<unknown, unknown>): PodInfo {
  return internPod(pod, (part, slot) => {
    let hit = memo.get(part);
    if (hit === undefined) memo.set(part, (hit = intern(part, slot)));
    return hit as typeof part;
  });
}

/** Interns each shared part of `pod` with `one` (`slot`: the field, see `intern`). */
function internPod(pod: PodInfo, one: <T>(part: T, slot: number) => T): PodInfo {
  pod.labels = one(pod.labels, 0);
  pod.volumes = one(pod.volumes, 1);
  pod.requests = one(pod.requests, 2);
  pod.nodeSelector = one(pod.nodeSelector, 3);
  pod.requiredNodeAffinity = one(pod.requiredNodeAffinity, 4);
  pod.tolerations = one(pod.tolerations, 5);
  pod.requiredAntiAffinity = one(pod.requiredAntiAffinity, 6);
  return pod;
}

/** A volume: its name and claim; its source kind is the key that is set (`emptyDir`, `hostPath`, …). */
const VOLUME = z.object({ name: optStr, persistentVolumeClaim: optObject({ claimName: optStr }) });

/** The fields of a Pod `normalizePod` reads, compiled: a pod is read in place (`readInPlace`). */
const POD = z.compile(
  z.object({
    spec: z
      .object({
        ...REQUEST_FIELDS,
        nodeName: optStr,
        priority: optNum,
        nodeSelector: optStrMap,
        volumes: z.array(VOLUME).nullish(),
        tolerations: optList({ key: optStr, operator: optStr, value: optStr, effect: optStr }),
        affinity: optObject({
          nodeAffinity: optObject({
            requiredDuringSchedulingIgnoredDuringExecution: optObject({ nodeSelectorTerms: NODE_SELECTOR_TERMS }),
          }),
          podAntiAffinity: optObject({ requiredDuringSchedulingIgnoredDuringExecution: AFFINITY_TERMS }),
        }),
      })
      .nullish(),
    status: optObject({ phase: optStr, conditions: optList({ type: optStr, status: optStr }) }),
  }),
);

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

function buildPod(o: KubeObject): PodInfo {
  const { spec, status } = readInPlace(POD, o);
  const podName = o.metadata.name!;
  const volumes: PodVolumes = { kinds: [], emptyDir: [], hostPath: [], claims: [] };
  for (const v of spec?.volumes ?? []) {
    const name = v.name ?? '';
    const source = v as Record<string, unknown>;
    for (const k in source) if (k !== 'name' && !volumes.kinds.includes(k)) volumes.kinds.push(k);
    if (isObject(source.emptyDir)) volumes.emptyDir.push(name);
    if (isObject(source.hostPath)) volumes.hostPath.push(name);
    const claim = v.persistentVolumeClaim?.claimName;
    if (claim) volumes.claims.push(claim);
    if (isObject(source.ephemeral)) volumes.claims.push(`${podName}-${name}`);
  }
  volumes.kinds.sort();
  const ready = (status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  const pod: PodInfo = {
    namespace: o.metadata.namespace ?? 'default',
    name: podName,
    ready,
    labels: o.metadata.labels ?? {},
    mirror: o.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined,
    requests: requestsOf(spec),
    volumes,
    nodeSelector: spec?.nodeSelector ?? {},
    requiredNodeAffinity: nodeSelectorTerms(
      spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    ),
    tolerations: (spec?.tolerations ?? []).map((t) => {
      const out: Toleration = {};
      for (const k of ['key', 'operator', 'value', 'effect'] as const) if (typeof t[k] === 'string') out[k] = t[k];
      return out;
    }),
    requiredAntiAffinity: affinityTerms(spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
  };
  if (o.metadata.uid) pod.uid = o.metadata.uid;
  if (spec?.nodeName) pod.nodeName = spec.nodeName;
  if (status?.phase) pod.phase = status.phase;
  if (o.metadata.deletionTimestamp) pod.deletionTimestamp = o.metadata.deletionTimestamp;
  const controller = controllerOf(o);
  if (controller) pod.controller = controller;
  if (typeof spec?.priority === 'number') pod.priority = spec.priority;
  return pod;
}

const SCALABLE: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

/** The fields of a workload `normalizeWorkload` reads; a ReplicationController's selector is a label map. */
const WORKLOAD = z.compile(
  z.object({
    spec: optObject({
      selector: labelSelector.nullish(),
      replicas: optNum,
      template: optObject({ metadata: optObject({ labels: optStrMap }) }),
    }),
  }),
);
const RC = z.object({
  spec: optObject({ selector: optStrMap, replicas: optNum, template: optObject({ metadata: optObject({ labels: optStrMap }) }) }),
});

/**
 * Reduces a Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or ReplicationController.
 * Throws `InputError` for a field of the wrong type.
 */
export function normalizeWorkload(o: KubeObject): WorkloadInfo {
  const kind = o.kind as WorkloadKind;
  const rc = kind === 'ReplicationController';
  const { spec } = rc ? readAs(RC, o) : readInPlace(WORKLOAD, o);
  const raw = spec?.selector;
  const selector = rc
    ? raw
      ? { selector: fromLabelSelector({ matchLabels: raw as Record<string, string> }) }
      : parseSelector(undefined)
    : parseSelector(raw as LabelSelector | null | undefined);
  const w: WorkloadInfo = {
    apiVersion: o.apiVersion,
    kind,
    namespace: o.metadata.namespace ?? 'default',
    name: o.metadata.name!,
    scale: SCALABLE.has(kind),
    selector: selector.selector,
    templateLabels: spec?.template?.metadata?.labels ?? {},
  };
  if (o.metadata.uid) w.uid = o.metadata.uid;
  if (w.scale) w.replicas = spec?.replicas ?? 1;
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
  intern: reinternPod,
};

export const workloadsInput: ResourceInputDef<WorkloadInfo> = {
  type: 'resources',
  key: 'workloads',
  description: 'Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and ReplicationControllers (replicas, selector, owner)',
  resources: [R.deployments, R.replicasets, R.statefulsets, R.daemonsets, R.jobs, R.replicationcontrollers],
  normalize: normalizeWorkload,
};

const PV = z.object({
  spec: z
    .looseObject({
      nodeAffinity: optObject({ required: optObject({ nodeSelectorTerms: NODE_SELECTOR_TERMS }) }),
      claimRef: optObject({ namespace: optStr, name: optStr }),
    })
    .nullish(),
  status: optObject({ phase: optStr }),
});

export const persistentVolumesInput: ResourceInputDef<PersistentVolumeInfo> = {
  type: 'resources',
  key: 'persistentvolumes',
  description: 'PersistentVolumes (local or hostPath, node affinity, claim)',
  resources: [R.persistentvolumes],
  normalize(o) {
    const { spec, status } = readAs(PV, o);
    const pv: PersistentVolumeInfo = {
      name: o.metadata.name!,
      local: isObject(spec?.local) || isObject(spec?.hostPath),
      nodeAffinity: nodeSelectorTerms(spec?.nodeAffinity?.required?.nodeSelectorTerms),
    };
    const ns = spec?.claimRef?.namespace;
    const name = spec?.claimRef?.name;
    if (ns && name) pv.claim = `${ns}/${name}`;
    if (status?.phase) pv.phase = status.phase;
    return pv;
  },
};

const PVC = z.object({ spec: optObject({ volumeName: optStr }), status: optObject({ phase: optStr }) });

export const persistentVolumeClaimsInput: ResourceInputDef<PersistentVolumeClaimInfo> = {
  type: 'resources',
  key: 'persistentvolumeclaims',
  description: 'PersistentVolumeClaims (bound volume)',
  resources: [R.persistentvolumeclaims],
  normalize(o) {
    const { spec, status } = readAs(PVC, o);
    const pvc: PersistentVolumeClaimInfo = { namespace: o.metadata.namespace ?? 'default', name: o.metadata.name! };
    if (spec?.volumeName) pvc.volumeName = spec.volumeName;
    if (status?.phase) pvc.phase = status.phase;
    return pvc;
  },
};

export const PDB_INPUTS = [pdbsInput, podsInput, workloadsInput, persistentVolumesInput, persistentVolumeClaimsInput];
