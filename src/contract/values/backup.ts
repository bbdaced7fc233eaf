/**
 * Values of the `backup` family's inputs: Velero objects, etcd snapshot jobs and files, k3s/RKE2
 * snapshots, other operators' backup runs and the installed backup tools
 * (`src/sources/inputs/backup/` reads them).
 */

/** A Velero Backup, reduced to what the freshness and health rules read. */
export interface VeleroBackup {
  namespace: string;
  name: string;
  /** `status.phase` as written; `undefined` when unset (Velero prints that as `New`). */
  phase?: string;
  /** Label `velero.io/schedule-name`: the Schedule that created it. */
  schedule?: string;
  /** `spec.storageLocation`, else label `velero.io/storage-location`. */
  storageLocation?: string;
  creationTimestamp?: string;
  startTimestamp?: string;
  completionTimestamp?: string;
  /** When Velero garbage-collects it (`status.expiration`). */
  expiration?: string;
  /** `status.errors` / `status.warnings` counts (0 when unset). */
  errors: number;
  warnings: number;
  failureReason?: string;
  /** `status.progress.totalItems` / `itemsBackedUp`, when reported. */
  totalItems?: number;
  itemsBackedUp?: number;
}

export interface VeleroSchedule {
  namespace: string;
  name: string;
  /** `spec.schedule` (cron, robfig/cron syntax). */
  schedule: string;
  paused: boolean;
  /** `status.phase`: `New`, `Enabled`, `FailedValidation`. */
  phase?: string;
  /** When the schedule last *created* a Backup (not when one succeeded). */
  lastBackup?: string;
  validationErrors: string[];
  creationTimestamp?: string;
}

export interface VeleroStorageLocation {
  namespace: string;
  name: string;
  provider?: string;
  bucket?: string;
  prefix?: string;
  default: boolean;
  /** `ReadWrite` (default) or `ReadOnly`. */
  accessMode?: string;
  /** `spec.validationFrequency` as a Go duration (`1m0s`); unset = the server default (1m). */
  validationFrequency?: string;
  /** `status.phase`: `Available` or `Unavailable`. */
  phase?: string;
  lastValidationTime?: string;
  lastSyncedTime?: string;
  message?: string;
  creationTimestamp?: string;
}

export interface VeleroRestore {
  namespace: string;
  name: string;
  backupName?: string;
  scheduleName?: string;
  phase?: string;
  creationTimestamp?: string;
  startTimestamp?: string;
  completionTimestamp?: string;
  errors: number;
  warnings: number;
  failureReason?: string;
}

/** Why a CronJob or Job was taken for an etcd snapshot job. */
export type EtcdJobSignal = 'command' | 'image-and-name' | 'name';

export interface EtcdBackupCronJob {
  namespace: string;
  name: string;
  uid?: string;
  matchedBy: EtcdJobSignal;
  schedule: string;
  /** `spec.timeZone` (batch/v1, 1.27+). */
  timeZone?: string;
  suspend: boolean;
  lastScheduleTime?: string;
  /** `status.lastSuccessfulTime` (batch/v1, 1.21+). */
  lastSuccessfulTime?: string;
  creationTimestamp?: string;
}

export interface EtcdBackupJob {
  namespace: string;
  name: string;
  matchedBy: EtcdJobSignal;
  /** Name of the CronJob that owns it (`ownerReferences`). */
  cronJob?: string;
  creationTimestamp?: string;
  startTime?: string;
  completionTime?: string;
  /** `Complete` or `Failed` condition with status True, and when it was set. */
  outcome: 'succeeded' | 'failed' | 'running';
  finishedAt?: string;
  failedReason?: string;
}

/** `etcdctl snapshot status -w json` (etcdutl on 3.5+; `etcd-io/etcd:etcdutl/snapshot`). */
export interface SnapshotStatus {
  hash?: number;
  revision?: number;
  totalKey?: number;
  totalSize?: number;
  /** Storage version (3.6+). */
  version?: string;
}

/** One entry of `backups/etcd-snapshots.json`. */
export interface EtcdSnapshotFile {
  /** Path of the snapshot on the node that holds it. */
  path: string;
  sizeBytes?: number;
  /** Modification time, ISO 8601. */
  modified?: string;
  status?: SnapshotStatus;
  /** What `snapshot status` printed when it could not read the file. */
  statusError?: string;
  /** Why this entry of the JSON could not be read (the check reports it as unknown). */
  problem?: string;
}

/** A k3s/RKE2 `ETCDSnapshotFile` (one per snapshot, cluster-scoped). */
export interface K3sEtcdSnapshot {
  name: string;
  snapshotName?: string;
  nodeName?: string;
  /** `file://…` or `s3://…`. */
  location?: string;
  /** `status.size` in bytes (a Quantity); absent when the snapshot failed. */
  sizeBytes?: number;
  creationTime?: string;
  readyToUse?: boolean;
  errorMessage?: string;
  creationTimestamp?: string;
}

export type OperatorTool = 'k8up' | 'kubestash' | 'stash' | 'longhorn';

/** One backup run of another operator, in one shape for every tool. */
export interface OperatorRun {
  tool: OperatorTool;
  /** The run object (`apiVersion`, `kind`, `namespace`, `name`). */
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** What the run belongs to, the freshness subject (the k8up Schedule, the invoker, the Longhorn volume). */
  series: { apiVersion: string; kind: string; namespace?: string; name: string };
  outcome: 'succeeded' | 'failed' | 'running' | 'skipped' | 'unknown';
  /** The tool's own state word (`Succeeded`, `Completed`, `Error`, condition reason). */
  state: string;
  /** When the run finished (or, for Stash/KubeStash sessions, which record no end, when it was created). */
  at?: string;
}

export interface BackupToolCrd {
  /** CRD name (`plural.group`). */
  name: string;
  /** `BACKUP_TOOLS[].tool`. */
  tool: string;
}
