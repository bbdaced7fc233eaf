/**
 * The input contract: how a collected input, its status and its unread parts look, and the
 * map from input key to the normalized value a check receives.
 */
import type { ResourceRef } from './resource.js';
import type {
  ApiDiscovery,
  ApiServiceInfo,
  ApiUsageObject,
  DeprecatedApiRequests,
  Helm2Release,
  HelmRelease,
  Manifests,
} from './values/apis.js';
import type { ControlPlanePod, NamespaceInfo, NodeInfo, ServerVersion } from './values/core.js';
import type {
  BackupToolCrd,
  EtcdBackupCronJob,
  EtcdBackupJob,
  EtcdSnapshotFile,
  K3sEtcdSnapshot,
  OperatorRun,
  VeleroBackup,
  VeleroRestore,
  VeleroSchedule,
  VeleroStorageLocation,
} from './values/backup.js';
import type { FoundCertificate } from './values/certs.js';
import type { ApiserverReadyz, EtcdData } from './values/etcd.js';
import type { PdbInfo, PersistentVolumeClaimInfo, PersistentVolumeInfo, PodInfo, WorkloadInfo } from './values/pdb.js';
import type { RbacBinding, RbacRole, ServiceAccountRef } from './values/rbac.js';
import type { AddonWorkload, KubectlVersion, KubeProxyPod } from './values/versions.js';

/** Status of one collected input (docs/architecture.md, "Inputs and their statuses"). */
export type InputStatus = 'ok' | 'absent' | 'missing' | 'forbidden' | 'failed';

/** The statuses of an input that was not read: `value` is then unset and `reason` says why. */
export type UnreadStatus = Exclude<InputStatus, 'ok' | 'absent'>;

/** One part of an input that was not read (README, "Statuses, unknowns and the verdict"). */
export interface InputPart {
  /** What was not read: a resource (`statefulsets.apps`), a dump path, or `file#object`. */
  source: string;
  /** `missing`, `forbidden` or `failed`; never `ok` or `absent`. */
  status: InputStatus;
  /** Why, naming the file (and line) or the request. */
  reason: string;
  /** The class of subjects left unjudged, for a person: "StatefulSets", "Helm releases stored in ConfigMaps", "Pod prod/web-1". */
  subjects: string;
  /**
   * The subjects as a report resource: `{ apiVersion, kind, name: '*' }` (plus `namespace`
   * when the input's selection has one) for a whole resource; the object's own
   * `{ apiVersion, kind, namespace?, name }` for one object; `{ file }` for a file.
   */
  resource: ResourceRef;
}

/** What every collected input carries, whatever its status. */
interface CollectedCommon {
  key: string;
  /** Number of objects or files the input holds. */
  count?: number;
  /** Where it came from: dump paths, API paths. */
  sources?: string[];
  /**
   * For an input read from several resources, files or objects: the parts that could not be
   * read (a forbidden resource, a missing file, an object that did not normalize). Set on an
   * `ok` input (its `value` holds what the other parts gave) and on an input that no part
   * could feed. They are unknown subjects, never "none exist": the engine turns each into an
   * unknown of every check that declared the input.
   */
  partial?: InputPart[];
}

/**
 * One input as collected from a source, discriminated by `status`: `ok` and `absent` carry
 * the `value` (an absent input is an empty value: the CRD is not installed, so none exist);
 * `missing`, `forbidden` and `failed` carry no value and a `reason` naming the file (and line)
 * or the API request.
 */
export type Collected<T> =
  | (CollectedCommon & {
      status: 'ok' | 'absent';
      value: T;
      /** Why the input is `absent` (e.g. the CRD is not installed). */
      reason?: string;
    })
  | (CollectedCommon & { status: UnreadStatus; value?: undefined; reason: string });

/** A Kubernetes API resource, as discovery names it. */
export interface ApiResource {
  /** API group; `''` for the core group. */
  group: string;
  /** Versions to list, preferred first; a live scan takes the first one the server serves. */
  versions: string[];
  /** Plural resource name (`pods`, `poddisruptionbudgets`). */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Served by a CustomResourceDefinition (its absence means "not installed", not "missing"). */
  crd?: boolean;
  /**
   * What an input reads of this resource, for a person, when it is not read: defaults to the
   * kind in the plural (`StatefulSets`); set when the kind alone would mislead
   * (`Helm releases stored in Secrets`).
   */
  subjects?: string;
}

/**
 * The normalized value of every input, by input key: what a check's `run` receives for each
 * key of its `requires` (and, wrapped in `Collected`, of its `optional`). `src/sources/inputs.ts`
 * defines how each key is read; the registry refuses a check that names a key it does not know.
 */
export interface InputTypes {
  // Shared by most families (src/sources/inputs/core.ts).
  version: ServerVersion;
  namespaces: NamespaceInfo[];
  nodes: NodeInfo[];
  'control-plane-pods': ControlPlanePod[];
  // pdb (src/sources/inputs/pdb.ts).
  pdbs: PdbInfo[];
  pods: PodInfo[];
  workloads: WorkloadInfo[];
  persistentvolumes: PersistentVolumeInfo[];
  persistentvolumeclaims: PersistentVolumeClaimInfo[];
  // apis (src/sources/inputs/apis.ts).
  'api-usage': ApiUsageObject[];
  'helm-releases': HelmRelease[];
  'helm2-releases': Helm2Release[];
  'deprecated-api-requests': DeprecatedApiRequests;
  'api-discovery': ApiDiscovery;
  'api-services': ApiServiceInfo[];
  manifests: Manifests;
  // etcd (src/sources/inputs/etcd.ts).
  etcd: EtcdData;
  'apiserver-readyz': ApiserverReadyz;
  // versions (src/sources/inputs/versions.ts).
  'addon-images': AddonWorkload[];
  'kube-proxy-pods': KubeProxyPod[];
  /** Undefined when `absent`: no kubectl on the PATH, or none recorded in the dump. */
  'kubectl-version': KubectlVersion | undefined;
  // rbac (src/sources/inputs/rbac.ts).
  clusterroles: RbacRole[];
  clusterrolebindings: RbacBinding[];
  roles: RbacRole[];
  rolebindings: RbacBinding[];
  serviceaccounts: ServiceAccountRef[];
  // backup (src/sources/inputs/backup/).
  'velero-backups': VeleroBackup[];
  'velero-schedules': VeleroSchedule[];
  'velero-backup-storage-locations': VeleroStorageLocation[];
  'velero-restores': VeleroRestore[];
  'etcd-backup-cronjobs': EtcdBackupCronJob[];
  'etcd-backup-jobs': EtcdBackupJob[];
  'etcd-snapshot-files': EtcdSnapshotFile[];
  'k3s-etcd-snapshots': K3sEtcdSnapshot[];
  'backup-operator-runs': OperatorRun[];
  'backup-crds': BackupToolCrd[];
  // certs (src/sources/inputs/certs/); one list per object for the inputs read from several fields.
  pki: FoundCertificate[];
  'tls-secrets': FoundCertificate[][];
  'ca-bundles': FoundCertificate[][];
  'apiserver-client-ca': FoundCertificate[][];
  'apiserver-serving-cert': FoundCertificate[];
  'user-kubeconfig': FoundCertificate[];
}

export type InputKey = keyof InputTypes;
