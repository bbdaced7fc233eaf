/**
 * How Velero's Backup and Restore phases count, across Velero versions, and how backups
 * group into series (one per Schedule).
 *
 * Phases: `vmware-tanzu/velero:pkg/apis/velero/v1/backup_types.go` and `restore_types.go`
 * (HEAD v1.18.x): `New`, `Queued` and `ReadyToStart` (1.18, concurrent-backup queue),
 * `FailedValidation`, `InProgress`, `WaitingForPluginOperations`,
 * `WaitingForPluginOperationsPartiallyFailed`, `Finalizing`, `FinalizingPartiallyFailed`
 * (1.11+), `Uploading` and `UploadingPartialFailure` (1.9–1.10, replaced in 1.11),
 * `Completed`, `PartiallyFailed`, `Failed`, `Deleting`. An empty phase is `New`
 * (`velero backup get` prints it so). Source: `vmware-tanzu/velero:pkg/apis/velero/v1/backup_types.go`.
 */
import type { Collected } from '../../../src/contract/inputs.js';
import { groupBy } from '../../../src/k8s/objects.js';
import type { VeleroBackup, VeleroSchedule } from '../../../src/contract/values/backup.js';

/**
 * - `success`: finished and usable (still subject to `backupUsable`);
 * - `degraded`: finished with some items not backed up (`PartiallyFailed`) — not a success;
 * - `failed`: finished without a backup;
 * - `in-progress`: not finished yet, neither success nor failure;
 * - `deleting`: being deleted, ignored.
 */
export type PhaseClass = 'success' | 'degraded' | 'failed' | 'in-progress' | 'deleting';

export const BACKUP_PHASES: Readonly<Record<string, PhaseClass>> = {
  New: 'in-progress',
  Queued: 'in-progress',
  ReadyToStart: 'in-progress',
  InProgress: 'in-progress',
  WaitingForPluginOperations: 'in-progress',
  WaitingForPluginOperationsPartiallyFailed: 'in-progress',
  Finalizing: 'in-progress',
  FinalizingPartiallyFailed: 'in-progress',
  Uploading: 'in-progress',
  UploadingPartialFailure: 'in-progress',
  Completed: 'success',
  PartiallyFailed: 'degraded',
  Failed: 'failed',
  FailedValidation: 'failed',
  Deleting: 'deleting',
};

/** Restore phases (`restore_types.go`); a restore has no queue, upload or deleting phase. */
export const RESTORE_PHASES: Readonly<Record<string, PhaseClass>> = {
  New: 'in-progress',
  InProgress: 'in-progress',
  WaitingForPluginOperations: 'in-progress',
  WaitingForPluginOperationsPartiallyFailed: 'in-progress',
  Finalizing: 'in-progress',
  FinalizingPartiallyFailed: 'in-progress',
  Completed: 'success',
  PartiallyFailed: 'degraded',
  Failed: 'failed',
  FailedValidation: 'failed',
};

/** The phase as Velero prints it (`New` when unset). */
export function phaseOf(x: { phase?: string }): string {
  return x.phase ?? 'New';
}

/** Class of a phase, `undefined` for a phase this table does not know (an unknown subject). */
export function classOf(table: Readonly<Record<string, PhaseClass>>, x: { phase?: string }): PhaseClass | undefined {
  return Object.hasOwn(table, phaseOf(x)) ? table[phaseOf(x)] : undefined;
}

/** When a backup ran, for ordering: start, else creation. */
export function startedAt(b: { startTimestamp?: string; creationTimestamp?: string }): string | undefined {
  return b.startTimestamp ?? b.creationTimestamp;
}

/** When a finished backup finished: completion, else start, else creation. */
export function finishedAt(b: { completionTimestamp?: string; startTimestamp?: string; creationTimestamp?: string }): string | undefined {
  return b.completionTimestamp ?? b.startTimestamp ?? b.creationTimestamp;
}

/** Newest first by start (or creation) time, then by name (Velero names end in `yyyyMMddHHmmss`). */
export function byNewest<T extends { name: string; startTimestamp?: string; creationTimestamp?: string }>(a: T, b: T): number {
  const ta = Date.parse(startedAt(a) ?? '') || 0;
  const tb = Date.parse(startedAt(b) ?? '') || 0;
  return tb - ta || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0);
}

/**
 * Why a `Completed` backup is still not a usable one, or `undefined` when it is:
 * `errors > 0`, `expiration` in the past (garbage-collected), or 0 items backed up.
 */
export function unusableReason(b: VeleroBackup, now: Date): string | undefined {
  if (b.errors > 0) return `Completed with ${b.errors} error(s)`;
  if (b.expiration && Date.parse(b.expiration) <= now.getTime()) return `expired on ${b.expiration}`;
  if (b.itemsBackedUp === 0) return 'Completed with 0 items backed up';
  return undefined;
}

/** A group of backups judged together: one Schedule, or a namespace's backups without one. */
export interface VeleroSeries {
  namespace: string;
  /** The Schedule; absent for the unscheduled backups of a namespace without Schedules. */
  schedule?: VeleroSchedule;
  backups: VeleroBackup[];
}

/**
 * Groups backups by the Schedule named in their `velero.io/schedule-name` label. Backups
 * without a (still existing) Schedule form one unscheduled series per namespace, judged only
 * where the namespace has no Schedule at all (manual `velero backup create` runs are then its
 * only backups); otherwise they are ignored. Backups of each series are sorted newest first.
 */
export function veleroSeries(schedules: VeleroSchedule[], backups: VeleroBackup[]): VeleroSeries[] {
  const key = (ns: string, name: string): string => `${ns}/${name}`;
  const bySchedule = new Map<string, VeleroSeries>();
  for (const s of schedules) bySchedule.set(key(s.namespace, s.name), { namespace: s.namespace, schedule: s, backups: [] });
  const nsWithSchedules = new Set(schedules.map((s) => s.namespace));
  const unscheduled = new Map<string, VeleroSeries>();
  for (const b of backups) {
    const series = b.schedule ? bySchedule.get(key(b.namespace, b.schedule)) : undefined;
    if (series) series.backups.push(b);
    else if (!nsWithSchedules.has(b.namespace)) {
      const u = unscheduled.get(b.namespace) ?? { namespace: b.namespace, backups: [] };
      u.backups.push(b);
      unscheduled.set(b.namespace, u);
    }
  }
  const all = [...bySchedule.values(), ...unscheduled.values()];
  for (const s of all) s.backups.sort(byNewest);
  return all;
}

/** The subject of a series in findings. */
export function seriesResource(s: VeleroSeries): { apiVersion?: string; kind: string; namespace: string; name: string; field?: string } {
  return s.schedule
    ? { apiVersion: 'velero.io/v1', kind: 'Schedule', namespace: s.namespace, name: s.schedule.name }
    : { kind: 'BackupTool', namespace: s.namespace, name: 'velero', field: 'backups without a schedule' };
}

export function seriesLabel(s: VeleroSeries): string {
  return s.schedule ? `Velero Schedule ${s.namespace}/${s.schedule.name}` : `Velero backups without a schedule in ${s.namespace}`;
}

/** `velero backup create` for a series: from its Schedule, or a one-off backup. */
export function backupCommand(s: VeleroSeries): string {
  return s.schedule
    ? `velero backup create --from-schedule ${s.schedule.name} -n ${s.namespace} --wait`
    : `velero backup create <name> -n ${s.namespace} --wait`;
}

/**
 * Objects of `kind` the input `key` could not read (its object parts: a field of the wrong
 * type), as `{ namespace, name }` by namespace, in the input's order. A judgement about "the
 * newest" or "none" in a namespace that has one is not made: the unread object may change it.
 */
export function unreadObjects(
  ctx: { inputs: Record<string, Collected<unknown>> },
  key: string,
  kind: string,
): Map<string, Array<{ namespace: string; name: string }>> {
  const unread = (ctx.inputs[key]?.partial ?? []).flatMap((p) =>
    'kind' in p.resource && p.resource.kind === kind && p.resource.name !== '*'
      ? [{ namespace: p.resource.namespace ?? '', name: p.resource.name }]
      : [],
  );
  return groupBy(unread, (o) => o.namespace);
}
