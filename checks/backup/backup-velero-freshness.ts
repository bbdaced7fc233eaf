/**
 * Every Velero Schedule has a recent successful backup: the newest `Completed` Backup labelled
 * `velero.io/schedule-name=<schedule>` (by `completionTimestamp`) must be younger than the
 * schedule's cron interval × `intervalTolerance`, capped by `maxBackupAgeHours`. The Schedule's
 * `status.lastBackup` is not used: the schedule controller sets it when it *creates* a Backup,
 * before the backup runs (`vmware-tanzu/velero:pkg/controller/schedule_controller.go`).
 *
 * A `Completed` backup only counts when it is usable (no errors, not expired, items backed up:
 * `lib/velero.ts` `unusableReason`); `PartiallyFailed` does not count. In a namespace without
 * Schedules, the manual backups are one series held to `maxBackupAgeHours`. A series that would
 * be reported stale while a Backup of its namespace could not be read is an unknown instead
 * (the unread one may be the newer success).
 *
 * `details.series`: one row per series — `subject`, `schedule` (cron), `lastSuccess`,
 * `ageHours`, `expectedIntervalHours`, `limitHours`, `verdict`, `backups` (count) and
 * `newestBackup` (`{name, phase}` or null). `figures`: its rows of the `backup-freshness`
 * ages figure (`freshnessFigures` in `lib/freshness.ts`).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import {
  FRESHNESS_DEFAULTS,
  FRESHNESS_OPTION_SCHEMA,
  FRESHNESS_RULES,
  judgeSeries,
  freshnessFigures,
  limitFor,
  newest,
  scheduleInterval,
  type SeriesRow,
} from './lib/freshness.js';
import {
  BACKUP_PHASES,
  backupCommand,
  classOf,
  finishedAt,
  phaseOf,
  seriesLabel,
  seriesResource,
  startedAt,
  unreadObjects,
  unusableReason,
  veleroSeries,
} from './lib/velero.js';

export default defineCheck({
  id: 'backup-velero-freshness',
  family: 'backup',
  title: 'Every Velero Schedule has a recent successful backup',
  summary:
    'the newest **Completed** backup of each Velero Schedule (not `status.lastBackup`, which records creation) ' +
    'older than the cron interval × `intervalTolerance` 2 or the RPO `maxBackupAgeHours` 24 (high), or than 7 days, ' +
    'or never (critical)',
  rationale:
    'A Schedule that exists is not a backup that exists. Backups fail silently for weeks (expired ' +
    'credentials, a full bucket, a webhook that blocks the backup pod), and `status.lastBackup` ' +
    'keeps moving because it records when a backup was created, not whether it succeeded. Before an ' +
    'upgrade, and for every compliance period, the newest successful backup of each schedule must be ' +
    'recent enough to restore from.',
  remediation:
    'Find why recent backups did not complete (`velero backup get`, `velero backup describe <name> ' +
    '--details`, `velero backup logs <name>`), fix the cause, then take a fresh backup and wait for ' +
    'it: `velero backup create --from-schedule <schedule> -n velero --wait`.',
  references: [
    'https://velero.io/docs/main/api-types/schedule/',
    'https://velero.io/docs/main/api-types/backup/',
    'https://velero.io/docs/main/disaster-case/',
  ],
  defaultSeverity: 'high',
  rules: FRESHNESS_RULES,
  requires: ['velero-schedules', 'velero-backups'],
  defaultOptions: { ...FRESHNESS_DEFAULTS },
  optionSchema: FRESHNESS_OPTION_SCHEMA,
  run({ 'velero-schedules': schedules, 'velero-backups': backups }, ctx) {
    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [];
    const rows: Array<Record<string, unknown>> = [];
    const judged: SeriesRow[] = [];
    const series = veleroSeries(schedules, backups);
    const unreadBackups = unreadObjects(ctx, 'velero-backups', 'Backup');
    for (const s of series) {
      const usable = s.backups.filter((b) => classOf(BACKUP_PHASES, b) === 'success' && unusableReason(b, ctx.now) === undefined);
      const lastSuccess = newest(usable.map(finishedAt));
      const interval = s.schedule ? scheduleInterval(s.schedule.schedule, ctx.now) : {};
      const limit = limitFor(interval.hours, ctx.options);
      const newestBackup = s.backups[0];
      const verdict = judgeSeries(
        {
          resource: seriesResource(s),
          label: seriesLabel(s),
          subject: s.schedule ? `Schedule ${s.namespace}/${s.schedule.name}` : `Backups without a schedule in ${s.namespace}`,
          schedule: s.schedule?.schedule,
          lastSuccess,
          limit,
          since: s.backups.length === 0 ? s.schedule?.creationTimestamp : undefined,
          evidence: {
            ...(s.schedule
              ? { schedule: s.schedule.schedule, paused: s.schedule.paused, lastBackupCreated: s.schedule.lastBackup ?? null }
              : {}),
            ...(interval.error ? { cronError: interval.error } : {}),
            newestBackup: newestBackup
              ? { name: newestBackup.name, phase: phaseOf(newestBackup), started: startedAt(newestBackup) ?? null }
              : null,
            backups: s.backups.length,
          },
          remediation: `${backupCommand(s)}\nvelero backup describe <new-backup> --details   # phase Completed, errors 0`,
        },
        ctx.now,
        ctx.options,
      );
      judged.push(verdict.row);
      rows.push({
        ...verdict.row,
        backups: s.backups.length,
        newestBackup: newestBackup ? { name: newestBackup.name, phase: phaseOf(newestBackup) } : null,
      });
      if (!verdict.finding) continue;
      const after = lastSuccess ? Date.parse(lastSuccess) : -Infinity;
      const unread = s.backups.find((b) => classOf(BACKUP_PHASES, b) === undefined && Date.parse(startedAt(b) ?? '') > after);
      if (unread) {
        unknowns.push({
          resource: seriesResource(s),
          reason:
            `Backup ${unread.namespace}/${unread.name} has phase "${phaseOf(unread)}", which this Velero ` +
            `phase table does not know; it may be a newer success`,
        });
        continue;
      }
      // A Backup of this namespace that could not be read (a field of the wrong type) may be the
      // newer success: the series is not judged rather than reported stale.
      const notRead = unreadBackups.get(s.namespace) ?? [];
      if (notRead.length > 0) {
        unknowns.push({
          resource: seriesResource(s),
          reason:
            `${notRead.length} Backup(s) in ${s.namespace} could not be read ` +
            `(${notRead.map((r) => r.name).join(', ')}); one may be a newer success`,
        });
        continue;
      }
      findings.push(verdict.finding);
    }
    return {
      evaluated: series.length,
      findings,
      unknowns,
      details: { series: rows },
      figures: freshnessFigures(judged),
      ...(series.length === 0 ? { notApplicable: 'no Velero Schedules or Backups (Velero is not installed or not used)' } : {}),
    };
  },
});
