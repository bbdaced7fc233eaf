/**
 * Velero can back up right now: the latest finished backup of each Schedule succeeded, no
 * Schedule is paused or invalid, and every BackupStorageLocation is Available and validated
 * recently.
 *
 * Rules (issue "Backup freshness against an RPO"; phases and fields from
 * `vmware-tanzu/velero:pkg/apis/velero/v1/*_types.go`):
 * - latest finished backup of a series `Failed`/`FailedValidation` → `latest-backup-failed` (high);
 *   `PartiallyFailed`, or `Completed` with errors → `latest-backup-partially-failed` (high);
 *   `Completed` with 0 items backed up → `latest-backup-empty` (high). In-progress phases are
 *   skipped (the latest *finished* one is judged); a backup with a phase the table does not
 *   know, newer than that one, is an unknown subject.
 * - Schedule `spec.paused` → `schedule-paused` (medium); `status.phase: FailedValidation`
 *   (its cron or template is invalid, so it creates no backups) → `schedule-invalid` (high).
 * - BackupStorageLocation `status.phase: Unavailable` → `storage-location-unavailable`
 *   (critical); never validated, validation disabled (`validationFrequency: 0s`), or
 *   `lastValidationTime` older than max(`maxValidationAgeHours`, 3 × its validation
 *   frequency; server default 1m) → `storage-location-not-validated` (medium).
 *
 * `details`: `schedules` (`name`, `namespace`, `schedule`, `paused`, `phase`, `latest`
 * `{name, phase, errors, warnings}` or null, `phases` count by phase) and `storageLocations`
 * (`name`, `namespace`, `phase`, `lastValidationTime`, `default`).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import { parseGoDurationMs, CronError } from '../../src/k8s/cron.js';
import type { VeleroStorageLocation } from '../../src/contract/values/backup.js';
import { ageHours } from './lib/freshness.js';
import {
  BACKUP_PHASES,
  backupCommand,
  classOf,
  phaseOf,
  seriesLabel,
  seriesResource,
  startedAt,
  unreadObjects,
  veleroSeries,
} from './lib/velero.js';

const DEFAULT_VALIDATION_FREQUENCY_MS = 60_000;

export default defineCheck({
  id: 'backup-velero-health',
  family: 'backup',
  title: 'Velero schedules, latest backups and storage locations are healthy',
  summary:
    'latest backup Failed/PartiallyFailed/empty (high), Schedule paused (medium), BackupStorageLocation Unavailable ' +
    '(critical) or not validated recently (medium)',
  rationale:
    'A backup that failed or only partially succeeded is missing data exactly when it is needed; a ' +
    'paused or invalid Schedule stops producing backups without any error; and a storage location ' +
    'Velero cannot reach means every new backup fails and existing ones cannot be restored.',
  remediation:
    'Read why the backup failed (`velero backup describe <name> --details`, `velero backup logs ' +
    '<name>`), fix it and run a new backup (`velero backup create --from-schedule <schedule> -n ' +
    'velero --wait`). Unpause schedules with `velero schedule unpause <schedule>`. For a storage ' +
    'location, check `velero backup-location get`, its credentials and bucket, and the server log ' +
    '(`kubectl -n velero logs deploy/velero | grep backup-storage-location`).',
  references: [
    'https://velero.io/docs/main/troubleshooting/',
    'https://velero.io/docs/main/api-types/backupstoragelocation/',
    'https://velero.io/docs/main/api-types/schedule/',
  ],
  defaultSeverity: 'high',
  rules: {
    'latest-backup-failed': { title: 'Latest backup of a schedule failed', severity: 'high' },
    'latest-backup-partially-failed': { title: 'Latest backup of a schedule partially failed', severity: 'high' },
    'latest-backup-empty': { title: 'Latest backup of a schedule backed up nothing', severity: 'high' },
    'schedule-paused': { title: 'Schedule is paused', severity: 'medium', remediation: 'velero schedule unpause <schedule> -n velero' },
    'schedule-invalid': { title: 'Schedule failed validation and creates no backups', severity: 'high' },
    'storage-location-unavailable': { title: 'Backup storage location is Unavailable', severity: 'critical' },
    'storage-location-not-validated': { title: 'Backup storage location not validated recently', severity: 'medium' },
  },
  requires: ['velero-schedules', 'velero-backups', 'velero-backup-storage-locations'],
  defaultOptions: { maxValidationAgeHours: 1 },
  optionSchema: {
    maxValidationAgeHours: {
      type: 'number',
      min: 0,
      unit: 'hours',
      description:
        "time since a storage location's last validation past which it counts as not validated (at least 3 × its validation frequency)",
    },
  },
  run({ 'velero-schedules': schedules, 'velero-backups': backups, 'velero-backup-storage-locations': locations }, ctx) {
    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [];
    const scheduleRows: Array<Record<string, unknown>> = [];
    const series = veleroSeries(schedules, backups);
    const unreadBackups = unreadObjects(ctx, 'velero-backups', 'Backup');
    for (const s of series) {
      const resource = seriesResource(s);
      const label = seriesLabel(s);
      const latest = s.backups.find((b) => ['success', 'degraded', 'failed'].includes(classOf(BACKUP_PHASES, b) ?? ''));
      const latestAt = latest ? Date.parse(startedAt(latest) ?? '') || 0 : -Infinity;
      for (const b of s.backups) {
        if (classOf(BACKUP_PHASES, b) === undefined && (Date.parse(startedAt(b) ?? '') || 0) >= latestAt) {
          unknowns.push({
            resource: { apiVersion: 'velero.io/v1', kind: 'Backup', namespace: b.namespace, name: b.name },
            reason: `phase "${phaseOf(b)}" is not a Velero Backup phase this check knows`,
          });
        }
      }
      const phases: Record<string, number> = {};
      for (const b of s.backups) phases[phaseOf(b)] = (phases[phaseOf(b)] ?? 0) + 1;
      scheduleRows.push({
        namespace: s.namespace,
        name: s.schedule?.name ?? null,
        schedule: s.schedule?.schedule ?? null,
        paused: s.schedule?.paused ?? null,
        phase: s.schedule?.phase ?? null,
        latest: latest ? { name: latest.name, phase: phaseOf(latest), errors: latest.errors, warnings: latest.warnings } : null,
        phases,
      });
      if (s.schedule?.paused) {
        findings.push({
          rule: 'schedule-paused',
          resource,
          message: `${label} is paused: it creates no backups until unpaused.`,
          evidence: { schedule: s.schedule.schedule, paused: true, lastBackupCreated: s.schedule.lastBackup ?? null },
          remediation: `velero schedule unpause ${s.schedule.name} -n ${s.namespace}`,
        });
      }
      if (s.schedule?.phase === 'FailedValidation') {
        findings.push({
          rule: 'schedule-invalid',
          resource,
          message: `${label} failed validation (${s.schedule.validationErrors.join('; ') || 'no reason recorded'}): it creates no backups.`,
          evidence: { schedule: s.schedule.schedule, phase: 'FailedValidation', validationErrors: s.schedule.validationErrors },
          remediation:
            `kubectl -n ${s.namespace} get schedule ${s.schedule.name} -o yaml   # fix spec.schedule ` +
            `(5-field cron or @every <duration>) or the template`,
        });
      }
      if (!latest) continue;
      // An unread Backup of this namespace may be newer than the latest read: not judged.
      const notRead = unreadBackups.get(s.namespace) ?? [];
      if (notRead.length > 0) {
        unknowns.push({
          resource,
          reason:
            `${notRead.length} Backup(s) in ${s.namespace} could not be read ` +
            `(${notRead.map((b) => b.name).join(', ')}); the latest backup may be one of them`,
        });
        continue;
      }
      const evidence = {
        backup: latest.name,
        phase: phaseOf(latest),
        errors: latest.errors,
        warnings: latest.warnings,
        started: latest.startTimestamp ?? null,
        completed: latest.completionTimestamp ?? null,
        ...(latest.failureReason ? { failureReason: latest.failureReason } : {}),
        ...(latest.itemsBackedUp !== undefined ? { itemsBackedUp: latest.itemsBackedUp, totalItems: latest.totalItems ?? null } : {}),
      };
      const remediation =
        `velero backup describe ${latest.name} -n ${s.namespace} --details\nvelero backup logs ` +
        `${latest.name} -n ${s.namespace}\n${backupCommand(s)}`;
      const cls = classOf(BACKUP_PHASES, latest);
      const ref = `backup ${latest.name}`;
      if (cls === 'failed') {
        findings.push({
          rule: 'latest-backup-failed',
          resource,
          evidence,
          remediation,
          message: `${label}: the latest finished ${ref} is ${phaseOf(latest)}${latest.failureReason ? ` (${latest.failureReason})` : ''}.`,
        });
      } else if (cls === 'degraded' || latest.errors > 0) {
        findings.push({
          rule: 'latest-backup-partially-failed',
          resource,
          evidence,
          remediation,
          message: `${label}: the latest finished ${ref} is ${phaseOf(latest)} with ${latest.errors} error(s): some items are not in it.`,
        });
      } else if (latest.itemsBackedUp === 0) {
        findings.push({
          rule: 'latest-backup-empty',
          resource,
          evidence,
          remediation,
          message: `${label}: the latest ${ref} completed with 0 items backed up.`,
        });
      }
    }

    const locationRows: Array<Record<string, unknown>> = [];
    for (const l of locations) {
      locationRows.push({
        namespace: l.namespace,
        name: l.name,
        phase: l.phase ?? null,
        lastValidationTime: l.lastValidationTime ?? null,
        default: l.default,
      });
      const resource = { apiVersion: 'velero.io/v1', kind: 'BackupStorageLocation', namespace: l.namespace, name: l.name };
      const evidence = {
        phase: l.phase ?? null,
        lastValidationTime: l.lastValidationTime ?? null,
        provider: l.provider ?? null,
        bucket: l.bucket ?? null,
        default: l.default,
        ...(l.message ? { message: l.message } : {}),
      };
      const remediation =
        `velero backup-location get ${l.name} -n ${l.namespace}\nkubectl -n ${l.namespace} logs ` +
        `deploy/velero | grep -i backup-storage-location`;
      if (l.phase !== undefined && l.phase !== 'Available' && l.phase !== 'Unavailable') {
        unknowns.push({ resource, reason: `phase "${l.phase}" is not Available or Unavailable` });
        continue;
      }
      if (l.phase === 'Unavailable') {
        findings.push({
          rule: 'storage-location-unavailable',
          resource,
          evidence,
          remediation,
          message:
            `BackupStorageLocation ${l.namespace}/${l.name} is ` +
            `Unavailable${l.message ? ` (${l.message})` : ''}: backups to it fail and its backups cannot be ` +
            `restored.`,
        });
        continue;
      }
      const stale = validationProblem(l, ctx.now, ctx.options.maxValidationAgeHours);
      if (stale) {
        findings.push({
          rule: 'storage-location-not-validated',
          resource,
          evidence: { ...evidence, ...stale.evidence },
          remediation,
          message: `BackupStorageLocation ${l.namespace}/${l.name}: ${stale.message}.`,
        });
      }
    }
    const evaluated = series.length + locations.length;
    return {
      evaluated,
      findings,
      unknowns,
      details: { schedules: scheduleRows, storageLocations: locationRows },
      ...(evaluated === 0
        ? { notApplicable: 'no Velero Schedules, Backups or BackupStorageLocations (Velero is not installed or not used)' }
        : {}),
    };
  },
});

/** Why a location's validation is not recent, or undefined when it is. */
function validationProblem(
  l: VeleroStorageLocation,
  now: Date,
  maxHours: number,
): { message: string; evidence: Record<string, unknown> } | undefined {
  let freqMs = DEFAULT_VALIDATION_FREQUENCY_MS;
  if (l.validationFrequency !== undefined) {
    try {
      freqMs = parseGoDurationMs(l.validationFrequency);
    } catch (e) {
      if (!(e instanceof CronError)) throw e;
    }
  }
  if (freqMs === 0)
    return {
      message: 'validation is disabled (validationFrequency 0s): Velero no longer checks that it can reach it',
      evidence: { validationFrequency: l.validationFrequency },
    };
  const limitHours = Math.max(maxHours, (3 * freqMs) / 3_600_000);
  if (!l.lastValidationTime) return { message: 'it has never been validated', evidence: { limitHours } };
  const age = ageHours(l.lastValidationTime, now);
  if (age > limitHours)
    return { message: `last validated ${age} h ago, more than ${limitHours} h`, evidence: { validationAgeHours: age, limitHours } };
  return undefined;
}
