/**
 * Values of the `pdb` family's inputs: PodDisruptionBudgets, pods, workloads and volumes
 * (`src/sources/inputs/pdb.ts` reads them).
 */
import type { NodeSelectorTerm, PodAffinityTerm, Toleration } from './scheduling.js';
import type { Selector } from './selectors.js';

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
