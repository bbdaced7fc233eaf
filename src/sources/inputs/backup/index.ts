/**
 * Inputs of the backup family: Velero objects, etcd snapshot CronJobs and Jobs, etcd snapshot
 * files, k3s/RKE2 etcd snapshot records, the runs of other backup operators, and the CRDs that
 * show which backup tools are installed.
 *
 * Sources of the shapes: `vmware-tanzu/velero:pkg/apis/velero/v1/*_types.go` (Backup, Schedule,
 * BackupStorageLocation, Restore); Kubernetes batch/v1 CronJob and Job; `etcdctl snapshot status
 * -w json`; k3s `ETCDSnapshotFile` (`k3s.cattle.io/v1`, cluster-scoped); k8up
 * (`k8up-io/k8up:docs/modules/ROOT/pages/references/status.adoc`); KubeStash and Stash
 * BackupSession (`stash.appscode.com/v1beta1`, `core.kubestash.com/v1alpha1`); Longhorn Backup
 * (`longhorn.io/v1beta2`).
 *
 * Modules: `velero.ts`, `etcd-jobs.ts`, `etcd-snapshot-files.ts` (with `snapshot-status-tool.ts`,
 * the etcd tool run as a child process), `k3s-snapshots.ts`, `operators.ts`, `tool-crds.ts`; the
 * tool catalog itself is `src/k8s/backup-tools.ts`. Each module declares the `InputTypes` of
 * its inputs (so the package's declarations carry them with the types `src/index.ts` exports).
 */
import { etcdBackupCronJobsInput, etcdBackupJobsInput } from './etcd-jobs.js';
import { etcdSnapshotFilesInput } from './etcd-snapshot-files.js';
import { k3sEtcdSnapshotsInput } from './k3s-snapshots.js';
import { backupOperatorRunsInput } from './operators.js';
import { backupCrdsInput } from './tool-crds.js';
import { veleroBackupsInput, veleroRestoresInput, veleroSchedulesInput, veleroStorageLocationsInput } from './velero.js';

export const backupInputs = [
  veleroBackupsInput,
  veleroSchedulesInput,
  veleroStorageLocationsInput,
  veleroRestoresInput,
  etcdBackupCronJobsInput,
  etcdBackupJobsInput,
  etcdSnapshotFilesInput,
  k3sEtcdSnapshotsInput,
  backupOperatorRunsInput,
  backupCrdsInput,
];
