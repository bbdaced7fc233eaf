/**
 * Backups taken by other operators are recent and succeeded: k8up (`k8up.io/v1` Backup),
 * KubeStash (`core.kubestash.com/v1alpha1` BackupSession), Stash (`stash.appscode.com/v1beta1`
 * BackupSession) and Longhorn (`longhorn.io/v1beta2` Backup). Their runs are normalized by the
 * `backup-operator-runs` input (`src/sources/inputs/backup/operators.ts`):
 * - k8up: condition `Completed` reason `Succeeded`/`Failed` (`k8up-io/k8up:docs/modules/ROOT/
 *   pages/references/status.adoc`), time = that condition's `lastTransitionTime`; series = the
 *   owning k8up Schedule, else the namespace;
 * - KubeStash/Stash: `status.phase` `Succeeded`/`Failed` (`Pending`/`Running` in progress,
 *   `Skipped` ignored), time = the session's `creationTimestamp` (sessions record no end
 *   time); series = `spec.invoker` (the BackupConfiguration);
 * - Longhorn: `status.state` `Completed` (time `status.backupCreatedAt`) or `Error`; series =
 *   the volume.
 * Their own schedules are not read, so each series is held to `maxBackupAgeHours` (the RPO).
 *
 * Rules: `stale` (high), `stale-critical`, `never-succeeded` (critical) as in
 * `lib/freshness.ts`; latest finished run failed → `latest-failed` (high). A run whose state
 * is not understood, newer than the last success of a stale series, makes that series unknown.
 *
 * `details.series`: rows as in `lib/freshness.ts` `SeriesRow`, plus `tool` and `latest`
 * (`{name, state}`). `figures`: its series in the `backup-freshness` ages figure
 * (`freshnessFigures` in `lib/freshness.ts`).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import { groupBy } from '../../src/k8s/objects.js';
import type { OperatorRun } from '../../src/contract/values/backup.js';
import {
  freshnessFigures,
  FRESHNESS_DEFAULTS,
  FRESHNESS_OPTION_SCHEMA,
  FRESHNESS_RULES,
  judgeSeries,
  limitFor,
  newest,
  type SeriesRow,
} from './lib/freshness.js';

const TOOL_LABEL: Record<OperatorRun['tool'], string> = { k8up: 'k8up', kubestash: 'KubeStash', stash: 'Stash', longhorn: 'Longhorn' };

const RERUN: Record<OperatorRun['tool'], (s: OperatorRun['series']) => string> = {
  k8up: (s) =>
    `kubectl -n ${s.namespace ?? s.name} get backups.k8up.io   # then create a k8up Backup object to ` +
    `run one now; read the backup Job's logs`,
  kubestash: (s) =>
    `kubectl kubestash trigger ${s.name} -n ${s.namespace}\nkubectl -n ${s.namespace} get backupsessions.core.kubestash.com`,
  stash: (s) => `kubectl stash trigger ${s.name} -n ${s.namespace}\nkubectl -n ${s.namespace} get backupsessions.stash.appscode.com`,
  longhorn: (s) =>
    `kubectl -n ${s.namespace} get backups.longhorn.io -l backup-volume=${s.name}   # take a backup ` +
    `from the Longhorn UI or a RecurringJob with task: backup`,
};

export default defineCheck({
  id: 'backup-operator-freshness',
  family: 'backup',
  title: 'Backups of other backup operators are recent and succeeded',
  summary: 'k8up, KubeStash, Stash and Longhorn runs within the RPO',
  rationale:
    'Workload data is often backed up by a tool other than Velero (k8up and Stash/KubeStash with ' +
    'restic, Longhorn volume backups). Their runs fail just as quietly, so the newest successful run ' +
    'of each of their schedules must be within the RPO.',
  remediation: "Read why recent runs failed (the run object's status and its Job's logs), fix the cause, and trigger a new backup run.",
  references: [
    'https://docs.k8up.io/k8up/references/status.html',
    'https://kubestash.com/docs/latest/concepts/crds/backupsession/',
    'https://longhorn.io/docs/latest/snapshots-and-backups/',
  ],
  defaultSeverity: 'high',
  rules: { ...FRESHNESS_RULES, 'latest-failed': { title: 'Latest backup run failed', severity: 'high' } },
  requires: ['backup-operator-runs'],
  defaultOptions: { maxBackupAgeHours: FRESHNESS_DEFAULTS.maxBackupAgeHours, criticalAgeDays: FRESHNESS_DEFAULTS.criticalAgeDays },
  optionSchema: { maxBackupAgeHours: FRESHNESS_OPTION_SCHEMA.maxBackupAgeHours, criticalAgeDays: FRESHNESS_OPTION_SCHEMA.criticalAgeDays },
  run({ 'backup-operator-runs': runs }, ctx) {
    const o = { ...ctx.options, intervalTolerance: FRESHNESS_DEFAULTS.intervalTolerance };
    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [];
    const rows: Array<Record<string, unknown>> = [];
    const judged: SeriesRow[] = [];
    const groups = groupBy(runs, (r) => `${r.tool}|${r.series.apiVersion}|${r.series.kind}|${r.series.namespace ?? ''}|${r.series.name}`);
    for (const [, list] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      list.sort((a, b) => (Date.parse(b.at ?? '') || 0) - (Date.parse(a.at ?? '') || 0) || (a.name < b.name ? 1 : -1));
      const first = list[0]!;
      const s = first.series;
      const resource = { apiVersion: s.apiVersion, kind: s.kind, ...(s.namespace ? { namespace: s.namespace } : {}), name: s.name };
      const label = `${TOOL_LABEL[first.tool]} ${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
      const lastSuccess = newest(list.filter((r) => r.outcome === 'succeeded').map((r) => r.at));
      const latest = list.find((r) => r.outcome === 'succeeded' || r.outcome === 'failed');
      const verdict = judgeSeries(
        {
          resource,
          label,
          subject: label,
          lastSuccess,
          limit: limitFor(undefined, o),
          evidence: { tool: first.tool, runs: list.length, latestRun: latest ? { name: latest.name, state: latest.state } : null },
          remediation: RERUN[first.tool](s),
        },
        ctx.now,
        o,
      );
      judged.push(verdict.row);
      rows.push({ ...verdict.row, tool: first.tool, latest: latest ? { name: latest.name, state: latest.state } : null });
      if (verdict.finding) {
        const after = lastSuccess ? Date.parse(lastSuccess) : -Infinity;
        const unread = list.find((r) => r.outcome === 'unknown' && (Date.parse(r.at ?? '') || Infinity) > after);
        if (unread)
          unknowns.push({
            resource,
            reason:
              `${unread.kind} ${unread.namespace}/${unread.name} has state "${unread.state}", which this check ` +
              `does not understand; it may be a newer success`,
          });
        else findings.push(verdict.finding);
      }
      if (latest?.outcome === 'failed') {
        findings.push({
          rule: 'latest-failed',
          resource,
          message: `${label}: the latest finished run ${latest.name} failed (${latest.state}).`,
          evidence: { run: `${latest.kind} ${latest.namespace}/${latest.name}`, state: latest.state, at: latest.at ?? null },
          remediation: RERUN[first.tool](s),
        });
      }
    }
    return {
      evaluated: groups.size,
      findings,
      unknowns,
      details: { series: rows },
      figures: freshnessFigures(judged),
      ...(groups.size === 0 ? { notApplicable: 'no k8up, KubeStash, Stash or Longhorn backup runs' } : {}),
    };
  },
});
