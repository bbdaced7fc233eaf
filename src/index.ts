/**
 * The package's public API, for plugins and programmatic use.
 *
 * The check contract, the input key map (`InputTypes`) and the input value types come from
 * `src/contract/`. The backup and certs inputs still define their value types next to their
 * definitions and add their keys to `InputTypes` by module augmentation: exporting their types
 * here brings those augmentations into the published declarations, so that `requires: ['pki']`
 * type-checks in a plugin compiled against `dist/src/index.d.ts`
 * (test/engine/plugin-typescript.test.ts fails otherwise).
 */
export { defineCheck } from './contract/check.js';
export { CheckError } from './contract/errors.js';
export type {
  CheckContext,
  CheckDefinition,
  CheckOutput,
  Family,
  OptionSchema,
  OptionSpec,
  OptionUnit,
  RawFinding,
  Severity,
  Unknown,
} from './contract/check.js';
export type { ResourceRef } from './contract/resource.js';
export type {
  AgeRow,
  AgesFigure,
  Card,
  CardFact,
  CardsFigure,
  Figure,
  FigureStatus,
  MatrixCell,
  MatrixFigure,
  MatrixRow,
  PlanFigure,
  PlanStep,
  TimelineFigure,
  TimelineRow,
} from './contract/figures.js';
export type { Collected, InputTypes, InputKey } from './contract/inputs.js';
export type { ServerVersion, NamespaceInfo, NodeInfo, ControlPlanePod } from './contract/values/core.js';
export type {
  ApiUsageObject,
  HelmRelease,
  Helm2Release,
  DeprecatedApiRequests,
  ApiDiscovery,
  ApiServiceInfo,
  Manifests,
} from './contract/values/apis.js';
export type {
  VeleroBackup,
  VeleroSchedule,
  VeleroStorageLocation,
  VeleroRestore,
  EtcdBackupCronJob,
  EtcdBackupJob,
  EtcdSnapshotFile,
  K3sEtcdSnapshot,
  OperatorRun,
  BackupToolCrd,
} from './contract/values/backup.js';
export type { CertificateInfo, FoundCertificate } from './contract/values/certs.js';
export type { EtcdData, ApiserverReadyz } from './contract/values/etcd.js';
export type { PdbInfo, PodInfo, WorkloadInfo, PersistentVolumeInfo, PersistentVolumeClaimInfo } from './contract/values/pdb.js';
export type { ServiceAccountRef } from './contract/values/rbac.js';
export type { RbacRole, RbacBinding } from './contract/values/rbac.js';
export type { AddonWorkload, KubeProxyPod, KubectlVersion } from './contract/values/versions.js';
export type { Report, Finding, CheckResult } from './contract/report.js';
export { runFixtureCase, listFixtureCases, type FixtureCase, type FixtureOutcome } from './testing/fixtures.js';
