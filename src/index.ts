/**
 * The package's public API, for plugins and programmatic use.
 *
 * The value types of the built-in inputs are exported from the modules that define them: besides
 * naming the types a check's `run` receives, these exports bring each module's `InputTypes`
 * augmentation into the published declarations, so that `requires: ['pdbs']` type-checks in a
 * plugin compiled against `dist/src/index.d.ts`. A new input module needs a line here too
 * (test/engine/plugin-typescript.test.ts fails otherwise).
 */
export { defineCheck } from './engine/define-check.js';
export { CheckError } from './engine/types.js';
export type {
  CheckContext,
  CheckDefinition,
  CheckOutput,
  Collected,
  Family,
  RawFinding,
  ResourceRef,
  Severity,
  Unknown,
} from './engine/types.js';
export type { InputTypes, InputKey } from './sources/input-types.js';
export type { ServerVersion, NamespaceInfo, NodeInfo, ControlPlanePod } from './sources/inputs/core.js';
export type {
  ApiUsageObject,
  HelmRelease,
  Helm2Release,
  DeprecatedApiRequests,
  ApiDiscovery,
  ApiServiceInfo,
  Manifests,
} from './sources/inputs/apis.js';
export type { VeleroBackup, VeleroSchedule, VeleroStorageLocation, VeleroRestore } from './sources/inputs/backup/velero.js';
export type { EtcdBackupCronJob, EtcdBackupJob } from './sources/inputs/backup/etcd-jobs.js';
export type { EtcdSnapshotFile } from './sources/inputs/backup/etcd-snapshot-files.js';
export type { K3sEtcdSnapshot } from './sources/inputs/backup/k3s-snapshots.js';
export type { OperatorRun } from './sources/inputs/backup/operators.js';
export type { BackupToolCrd } from './sources/inputs/backup/tool-crds.js';
export type { FoundCertificate } from './sources/inputs/certs/found-certificate.js';
export type { EtcdData, ApiserverReadyz } from './sources/inputs/etcd.js';
export type { PdbInfo, PodInfo, WorkloadInfo, PersistentVolumeInfo, PersistentVolumeClaimInfo } from './sources/inputs/pdb.js';
export type { ServiceAccountRef } from './sources/inputs/rbac.js';
export type { RbacRole, RbacBinding } from './k8s/rbac.js';
export type { AddonWorkload, KubeProxyPod, KubectlVersion } from './sources/inputs/versions.js';
export type { Report, Finding, CheckResult } from './report/model.js';
export { runFixtureCase, listFixtureCases, type FixtureCase, type FixtureOutcome } from './testing/fixtures.js';
