/**
 * Backups are restore-tested: each Velero installation (namespace holding Schedules or
 * Backups) has a `Completed` Restore without errors within `maxRestoreDrillDays`.
 *
 * Rules ("an untested backup is not a backup"; issue "Backup freshness against an RPO"):
 * - no successful restore within the window → `no-restore-drill` (medium);
 * - restores were attempted within the window but none succeeded (latest `Failed`,
 *   `FailedValidation`, `PartiallyFailed`, or `Completed` with errors) → `restore-drill-failed` (high).
 * A restore in the window with a phase the table does not know makes the installation an
 * unknown subject instead (it may be a successful drill). Restore phases: `lib/velero.ts`.
 *
 * `details.installations`: `namespace`, `lastDrill` (completion of the newest successful
 * restore, or null), `ageDays`, `restoresInWindow`, `latest` (`{name, phase, backupName}` or null).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import { groupBy } from '../../src/k8s/objects.js';
import { newest } from './lib/freshness.js';
import { byNewest, classOf, finishedAt, phaseOf, RESTORE_PHASES, unreadObjects } from './lib/velero.js';

const DAY = 86_400_000;

export default defineCheck({
  id: 'backup-restore-drills',
  family: 'backup',
  title: 'Backups were restore-tested recently',
  summary: 'no successful restore within `maxRestoreDrillDays` 90 (medium)',
  rationale:
    'An untested backup is not a backup: missing volumes, unsupported resources and broken plugins ' +
    'only show up at restore time. A periodic restore drill into a scratch namespace proves that the ' +
    'backups can actually be restored, and how long it takes.',
  remediation:
    'Restore a recent backup into a scratch namespace and check the result: `velero restore create ' +
    'drill-$(date +%Y%m%d) --from-backup <backup> --namespace-mappings <ns>:<ns>-drill --wait`, then ' +
    '`velero restore describe drill-… --details`; delete the scratch namespace afterwards.',
  references: ['https://velero.io/docs/main/restore-reference/', 'https://velero.io/docs/main/api-types/restore/'],
  defaultSeverity: 'medium',
  rules: {
    'no-restore-drill': { title: 'No successful restore drill in the window', severity: 'medium' },
    'restore-drill-failed': { title: 'Recent restore drills did not succeed', severity: 'high' },
  },
  requires: ['velero-restores', 'velero-backups', 'velero-schedules'],
  defaultOptions: { maxRestoreDrillDays: 90 },
  optionSchema: {
    maxRestoreDrillDays: {
      type: 'number',
      min: 0,
      unit: 'days',
      description: 'time within which a successful restore must exist for each Velero installation',
    },
  },
  run({ 'velero-restores': restores, 'velero-backups': backups, 'velero-schedules': schedules }, ctx) {
    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [];
    const rows: Array<Record<string, unknown>> = [];
    const windowDays = ctx.options.maxRestoreDrillDays;
    const since = ctx.now.getTime() - windowDays * DAY;
    const unreadRestores = unreadObjects(ctx, 'velero-restores', 'Restore');
    const namespaces = [...new Set([...schedules.map((s) => s.namespace), ...backups.map((b) => b.namespace)])].sort();
    const restoresOf = groupBy(restores, (r) => r.namespace);
    for (const ns of namespaces) {
      const resource = { kind: 'BackupTool', namespace: ns, name: 'velero' };
      const mine = (restoresOf.get(ns) ?? []).sort(byNewest);
      const ok = mine.filter((r) => classOf(RESTORE_PHASES, r) === 'success' && r.errors === 0);
      const lastDrill = newest(ok.map(finishedAt));
      const inWindow = mine.filter((r) => (Date.parse(finishedAt(r) ?? '') || 0) >= since);
      const latest = inWindow.find((r) => classOf(RESTORE_PHASES, r) !== 'in-progress');
      const ageDays = lastDrill ? Math.floor((ctx.now.getTime() - Date.parse(lastDrill)) / DAY) : null;
      rows.push({
        namespace: ns,
        lastDrill: lastDrill ?? null,
        ageDays,
        restoresInWindow: inWindow.length,
        latest: latest ? { name: latest.name, phase: phaseOf(latest), backupName: latest.backupName ?? null } : null,
      });
      if (lastDrill && Date.parse(lastDrill) >= since) continue;
      const unread = inWindow.find((r) => classOf(RESTORE_PHASES, r) === undefined);
      if (unread) {
        unknowns.push({
          resource,
          reason:
            `Restore ${ns}/${unread.name} has phase "${phaseOf(unread)}", which this check does not know; it ` +
            `may be a successful drill`,
        });
        continue;
      }
      const notRead = unreadRestores.get(ns) ?? [];
      if (notRead.length > 0) {
        unknowns.push({
          resource,
          reason:
            `${notRead.length} Restore(s) in ${ns} could not be read ` +
            `(${notRead.map((r) => r.name).join(', ')}); one may be a successful drill`,
        });
        continue;
      }
      const evidence = {
        lastDrill: lastDrill ?? null,
        ageDays,
        maxRestoreDrillDays: windowDays,
        restoresInWindow: inWindow.length,
        restores: mine.length,
      };
      if (latest) {
        findings.push({
          rule: 'restore-drill-failed',
          resource,
          evidence: {
            ...evidence,
            latestRestore: latest.name,
            phase: phaseOf(latest),
            errors: latest.errors,
            backupName: latest.backupName ?? null,
            ...(latest.failureReason ? { failureReason: latest.failureReason } : {}),
          },
          remediation: `velero restore describe ${latest.name} -n ${ns} --details\nvelero restore logs ${latest.name} -n ${ns}`,
          message:
            `Velero in ${ns}: none of the ${inWindow.length} restore(s) of the last ${windowDays} days ` +
            `succeeded; the latest, ${latest.name}, is ` +
            `${phaseOf(latest)}${latest.errors > 0 ? ` with ${latest.errors} error(s)` : ''}.`,
        });
      } else {
        findings.push({
          rule: 'no-restore-drill',
          resource,
          evidence,
          message:
            `Velero in ${ns}: no successful restore in the last ${windowDays} ` +
            `days${lastDrill ? ` (the last one completed ${ageDays} days ago)` : ' (none ever recorded)'}, ` +
            `so its backups are untested.`,
        });
      }
    }
    return {
      evaluated: namespaces.length,
      findings,
      unknowns,
      details: { installations: rows },
      ...(namespaces.length === 0 ? { notApplicable: 'no Velero Schedules or Backups (Velero is not installed or not used)' } : {}),
    };
  },
});
