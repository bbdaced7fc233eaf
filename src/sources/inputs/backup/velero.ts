/**
 * Velero's objects (`velero.io/v1` CRDs: Backup, Schedule, BackupStorageLocation, Restore),
 * reduced to what the backup checks read. Shapes: `vmware-tanzu/velero:pkg/apis/velero/v1/*_types.go`.
 */
import { kindPlural } from '../../../k8s/resources.js';
import type { ResourceInputDef } from '../../input-def.js';
import type { ApiResource } from '../../../contract/inputs.js';
import { optBool, optNum, optObject, optStr, optStrings, readAs, z } from '../../schema.js';
import { opt } from './fields.js';
import type { VeleroBackup, VeleroRestore, VeleroSchedule, VeleroStorageLocation } from '../../../contract/values/backup.js';

const velero = (resource: string, kind: string): ApiResource => ({
  group: 'velero.io',
  versions: ['v1'],
  resource,
  kind,
  namespaced: true,
  crd: true,
  subjects: `Velero ${kindPlural(kind)}`,
});

/** Velero API resources (`velero.io/v1`, CRDs). */
export const VELERO = {
  backups: velero('backups', 'Backup'),
  schedules: velero('schedules', 'Schedule'),
  backupStorageLocations: velero('backupstoragelocations', 'BackupStorageLocation'),
  restores: velero('restores', 'Restore'),
};

/** A count the object may leave out: 0. */
const count = (v: number | null | undefined): number => v ?? 0;

/** The fields of a Velero Backup the normalizer reads. */
const VELERO_BACKUP = z.object({
  spec: optObject({ storageLocation: optStr }),
  status: optObject({
    phase: optStr,
    startTimestamp: optStr,
    completionTimestamp: optStr,
    expiration: optStr,
    errors: optNum,
    warnings: optNum,
    failureReason: optStr,
    progress: optObject({ totalItems: optNum, itemsBackedUp: optNum }),
  }),
});

export const veleroBackupsInput: ResourceInputDef<VeleroBackup> = {
  type: 'resources',
  key: 'velero-backups',
  description: 'Velero Backups (phase, start/completion, expiration, errors, schedule label)',
  resources: [VELERO.backups],
  normalize(o) {
    const { spec, status: s } = readAs(VELERO_BACKUP, o);
    const labels = o.metadata.labels ?? {};
    return {
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name!,
      phase: s?.phase || undefined,
      schedule: labels['velero.io/schedule-name'] || undefined,
      storageLocation: spec?.storageLocation ?? labels['velero.io/storage-location'],
      creationTimestamp: o.metadata.creationTimestamp,
      startTimestamp: opt(s?.startTimestamp),
      completionTimestamp: opt(s?.completionTimestamp),
      expiration: opt(s?.expiration),
      errors: count(s?.errors),
      warnings: count(s?.warnings),
      failureReason: opt(s?.failureReason),
      totalItems: opt(s?.progress?.totalItems),
      itemsBackedUp: opt(s?.progress?.itemsBackedUp),
    };
  },
};

/** The fields of a Velero Schedule the normalizer reads. */
const VELERO_SCHEDULE = z.object({
  spec: optObject({ schedule: optStr, paused: optBool }),
  status: optObject({ phase: optStr, lastBackup: optStr, validationErrors: optStrings }),
});

export const veleroSchedulesInput: ResourceInputDef<VeleroSchedule> = {
  type: 'resources',
  key: 'velero-schedules',
  description: 'Velero Schedules (cron, paused, phase, lastBackup)',
  resources: [VELERO.schedules],
  normalize(o) {
    const { spec, status } = readAs(VELERO_SCHEDULE, o);
    return {
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name!,
      schedule: spec?.schedule ?? '',
      paused: spec?.paused === true,
      phase: status?.phase || undefined,
      lastBackup: opt(status?.lastBackup),
      validationErrors: status?.validationErrors ?? [],
      creationTimestamp: o.metadata.creationTimestamp,
    };
  },
};

/** The fields of a Velero BackupStorageLocation the normalizer reads. */
const VELERO_BSL = z.object({
  spec: optObject({
    provider: optStr,
    objectStorage: optObject({ bucket: optStr, prefix: optStr }),
    default: optBool,
    accessMode: optStr,
    validationFrequency: optStr,
  }),
  status: optObject({ phase: optStr, lastValidationTime: optStr, lastSyncedTime: optStr, message: optStr }),
});

export const veleroStorageLocationsInput: ResourceInputDef<VeleroStorageLocation> = {
  type: 'resources',
  key: 'velero-backup-storage-locations',
  description: 'Velero BackupStorageLocations (phase Available/Unavailable, last validation)',
  resources: [VELERO.backupStorageLocations],
  normalize(o) {
    const { spec, status } = readAs(VELERO_BSL, o);
    return {
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name!,
      provider: opt(spec?.provider),
      bucket: opt(spec?.objectStorage?.bucket),
      prefix: opt(spec?.objectStorage?.prefix),
      default: spec?.default === true,
      accessMode: opt(spec?.accessMode),
      validationFrequency: opt(spec?.validationFrequency),
      phase: status?.phase || undefined,
      lastValidationTime: opt(status?.lastValidationTime),
      lastSyncedTime: opt(status?.lastSyncedTime),
      message: opt(status?.message),
      creationTimestamp: o.metadata.creationTimestamp,
    };
  },
};

/** The fields of a Velero Restore the normalizer reads. */
const VELERO_RESTORE = z.object({
  spec: optObject({ backupName: optStr, scheduleName: optStr }),
  status: optObject({
    phase: optStr,
    startTimestamp: optStr,
    completionTimestamp: optStr,
    errors: optNum,
    warnings: optNum,
    failureReason: optStr,
  }),
});

export const veleroRestoresInput: ResourceInputDef<VeleroRestore> = {
  type: 'resources',
  key: 'velero-restores',
  description: 'Velero Restores (restore drills: phase, completion, source backup)',
  resources: [VELERO.restores],
  normalize(o) {
    const { spec, status: s } = readAs(VELERO_RESTORE, o);
    return {
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name!,
      backupName: spec?.backupName || undefined,
      scheduleName: spec?.scheduleName || undefined,
      phase: s?.phase || undefined,
      creationTimestamp: o.metadata.creationTimestamp,
      startTimestamp: opt(s?.startTimestamp),
      completionTimestamp: opt(s?.completionTimestamp),
      errors: count(s?.errors),
      warnings: count(s?.warnings),
      failureReason: opt(s?.failureReason),
    };
  },
};
