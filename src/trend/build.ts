/**
 * Building the trend of one cluster from its reports.
 *
 * Identity across runs: a finding is matched with the open findings of the runs before it as
 * `diff` and `--baseline` match findings (`matchFindings`: the same check on the same
 * resource, equal fingerprints first), so a certificate going from `expires-soon` to `expired`
 * is one finding whose rule changed, not one fixed and one new. Its `id` is the fingerprint
 * it had when first seen (`src/report/fingerprint.ts`).
 *
 * Closing: a finding absent from a run is closed in that run only when the run judged it: its
 * check ran and ended `pass`, `fail`, `incomplete` or `not-applicable`, with no unknown that
 * covers the finding's resource (`covers`). Otherwise (check not selected, `error`, `skipped`,
 * resource not assessed) the finding stays open, counted in that run's
 * `notAssessed`: what could not be assessed is never a fix. Time to fix: days from the clock
 * (`now`) of the first run that had it to that of the first run that judged it gone (the fix
 * happened somewhere in between).
 */
import { matchFindings, refOf } from '../report/baseline.js';
import type { FindingRef } from '../contract/report.js';
import { SEVERITIES } from '../contract/check.js';
import type { ResourceRef } from '../contract/resource.js';
import { groupOf, isRecord } from '../k8s/objects.js';
import { resourceLabel } from '../k8s/fingerprint.js';
import type { CheckResult, Report } from '../contract/report.js';
import { TOOL_VERSION } from '../paths.js';
import {
  CERTIFICATE_SERIES,
  type CertificatePoint,
  type CertificateSeries,
  type Trend,
  type TrendFinding,
  type TrendRun,
} from './model.js';

/** A report reduced to what the trend reads (the findings without message or evidence). */
export interface RunDigest {
  file: string;
  generatedAt: string;
  now: string;
  verdict: Report['summary']['verdict'];
  catalogVersion: string;
  cluster: { name?: string; uid?: string; server?: string };
  findings: Array<FindingRef & { waived: boolean }>;
  /** Per check id: its status, and the resources of its unknowns. */
  checks: Map<string, { status: CheckResult['status']; unknowns: ResourceRef[] }>;
  certificates: CertificatePoint[] | null;
  clusterAdminCount: number | null;
}

const DAY_MS = 86_400_000;

/** The certificates the certs checks list in `details.certificates`; null when none lists any. */
function certificatesOf(report: Report): CertificatePoint[] | null {
  let listed = false;
  const out: CertificatePoint[] = [];
  for (const c of report.checks) {
    const list = c.family === 'certs' ? c.details?.certificates : undefined;
    if (!Array.isArray(list)) continue;
    listed = true;
    for (const e of list) {
      if (!isRecord(e) || typeof e.where !== 'string' || typeof e.notAfter !== 'string' || typeof e.daysLeft !== 'number') continue;
      out.push({
        checkId: c.id,
        name: typeof e.name === 'string' ? e.name : e.where,
        where: e.where,
        notAfter: e.notAfter,
        daysLeft: e.daysLeft,
      });
    }
  }
  return listed ? out : null;
}

/** Reduces a report (already schema-checked) to its digest. */
export function digestReport(report: Report, file: string): RunDigest {
  const m = report.metadata;
  const admins = report.checks.find((c) => c.id === 'rbac-cluster-admins')?.details?.clusterAdminCount;
  return {
    file,
    generatedAt: m.generatedAt,
    now: m.now,
    verdict: report.summary.verdict,
    catalogVersion: m.tool.catalogVersion,
    cluster: {
      ...(m.cluster.name ? { name: m.cluster.name } : {}),
      ...(m.cluster.uid ? { uid: m.cluster.uid } : {}),
      ...(m.source.server ? { server: m.source.server } : {}),
    },
    findings: report.findings.map((f) => ({ ...refOf(f), waived: f.waiver !== undefined })),
    checks: new Map(report.checks.map((c) => [c.id, { status: c.status, unknowns: c.unknowns.map((u) => u.resource) }])),
    certificates: certificatesOf(report),
    clusterAdminCount: typeof admins === 'number' ? admins : null,
  };
}

/** Orders digests by clock, then generation time, then file name. */
export function orderRuns(runs: RunDigest[]): RunDigest[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...runs].sort(
    (a, b) => Date.parse(a.now) - Date.parse(b.now) || Date.parse(a.generatedAt) - Date.parse(b.generatedAt) || cmp(a.file, b.file),
  );
}

/**
 * Whether an unknown subject covers a finding's resource: the same resource (an unknown
 * without `field` covers every field of it); every object of a kind (`name: '*'`, as the
 * engine names the objects of an unread input), in its namespace when it names one; a whole
 * input (`kind: Input`); the same file, or a file below a folder.
 */
export function covers(unknown: ResourceRef, r: ResourceRef): boolean {
  if ('file' in unknown) {
    if (!('file' in r)) return false;
    if (r.file === unknown.file || r.file.startsWith(`${unknown.file.replace(/\/$/, '')}/`))
      return unknown.field === undefined || unknown.field === r.field;
    return false;
  }
  if (unknown.kind === 'Input') return true;
  if ('file' in r || unknown.kind !== r.kind) return false;
  if (unknown.apiVersion && r.apiVersion && groupOf(unknown.apiVersion) !== groupOf(r.apiVersion)) return false;
  if (unknown.namespace !== undefined && unknown.namespace !== r.namespace) return false;
  if (unknown.name === '*') return true;
  return unknown.name === r.name && unknown.namespace === r.namespace && (unknown.field === undefined || unknown.field === r.field);
}

/** Why `run` could not judge `f`'s absence; undefined when it could (the finding is then fixed). */
function unjudged(run: RunDigest, f: FindingRef): string | undefined {
  const c = run.checks.get(f.checkId);
  if (!c) return `${f.checkId} did not run`;
  if (c.status === 'error' || c.status === 'skipped') return `${f.checkId} is ${c.status}`;
  if (c.unknowns.some((u) => covers(u, f.resource))) return `${f.checkId} could not judge ${resourceLabel(f.resource)}`;
  return undefined;
}

const daysBetween = (from: string, to: string): number => Math.round(((Date.parse(to) - Date.parse(from)) / DAY_MS) * 10) / 10;

/** The median of `values` (the mean of the middle two for an even count); null when empty. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : Math.round(((s[mid - 1]! + s[mid]!) / 2) * 10) / 10;
}

interface Track {
  finding: TrendFinding;
  last: FindingRef & { waived: boolean };
}

function certificateSeries(runs: RunDigest[]): CertificateSeries[] {
  const byKey = new Map<string, CertificateSeries>();
  runs.forEach((r, i) => {
    for (const c of r.certificates ?? []) {
      const key = JSON.stringify([c.checkId, c.where]);
      let s = byKey.get(key);
      if (!s) {
        s = { checkId: c.checkId, name: c.name, where: c.where, daysLeft: runs.map(() => null), minDaysLeft: c.daysLeft };
        byKey.set(key, s);
      }
      // Two entries for one place in one run (should not happen): the sooner one counts.
      const prev = s.daysLeft[i];
      s.daysLeft[i] = prev === null || prev === undefined ? c.daysLeft : Math.min(prev, c.daysLeft);
      s.minDaysLeft = Math.min(s.minDaysLeft, c.daysLeft);
    }
  });
  return [...byKey.values()]
    .sort(
      (a, b) => a.minDaysLeft - b.minDaysLeft || (a.where < b.where ? -1 : a.where > b.where ? 1 : 0) || (a.checkId < b.checkId ? -1 : 1),
    )
    .slice(0, CERTIFICATE_SERIES);
}

/**
 * The trend of a series of digests of one cluster (at least one), in the order given (see
 * `orderRuns`). `warnings` go into the metadata as they are; a change of check catalog between
 * runs adds one.
 */
export function buildTrend(runs: RunDigest[], warnings: string[], generatedAt: Date = new Date()): Trend {
  if (runs.length === 0) throw new Error('buildTrend: no runs');
  let open: Track[] = [];
  const closed: Track[] = [];
  const out: TrendRun[] = [];
  const allWarnings = [...warnings];
  runs.forEach((run, i) => {
    if (i > 0 && run.catalogVersion !== runs[i - 1]!.catalogVersion) {
      allWarnings.push(
        `check catalog changed between ${runs[i - 1]!.file} (${runs[i - 1]!.catalogVersion}) and ${run.file} (${run.catalogVersion}): ` +
          'findings of changed rules may open or close with it',
      );
    }
    const m = matchFindings(
      open.map((t) => t.last),
      run.findings,
    );
    const trackOf = new Map(open.map((t) => [t.last, t]));
    let opened = 0;
    let changed = 0;
    const stillOpen: Track[] = [];
    for (const { finding, before } of m.after) {
      const t = before ? trackOf.get(before) : undefined;
      if (t) {
        if (t.last.rule !== finding.rule || t.last.severity !== finding.severity) changed++;
        Object.assign(t.finding, {
          fingerprint: finding.fingerprint,
          rule: finding.rule,
          severity: finding.severity,
          title: finding.title,
          resource: finding.resource,
          waived: finding.waived,
          lastRun: i,
          lastSeen: run.now,
        });
        delete t.finding.notAssessed;
        t.last = finding;
        stillOpen.push(t);
      } else {
        opened++;
        const f: TrendFinding = {
          id: finding.fingerprint,
          fingerprint: finding.fingerprint,
          checkId: finding.checkId,
          rule: finding.rule,
          severity: finding.severity,
          title: finding.title,
          resource: finding.resource,
          waived: finding.waived,
          state: 'open',
          firstRun: i,
          firstSeen: run.now,
          lastRun: i,
          lastSeen: run.now,
        };
        stillOpen.push({ finding: f, last: finding });
      }
    }
    let closedHere = 0;
    let notAssessed = 0;
    for (const gone of m.resolved) {
      const t = trackOf.get(gone)!;
      const why = unjudged(run, gone);
      if (why) {
        notAssessed++;
        t.finding.notAssessed = why;
        stillOpen.push(t);
      } else {
        closedHere++;
        Object.assign(t.finding, {
          state: 'closed',
          closedRun: i,
          closedAt: run.now,
          daysToFix: daysBetween(t.finding.firstSeen, run.now),
        });
        delete t.finding.notAssessed;
        closed.push(t);
      }
    }
    open = stillOpen;
    const counts = Object.fromEntries([...SEVERITIES, 'waived'].map((s) => [s, 0])) as TrendRun['findings'];
    for (const f of run.findings) {
      counts[f.severity]++;
      if (f.waived) counts.waived++;
    }
    const soonest =
      run.certificates?.reduce<CertificatePoint | null>((a, c) => (a === null || c.daysLeft < a.daysLeft ? c : a), null) ?? null;
    out.push({
      file: run.file,
      generatedAt: run.generatedAt,
      now: run.now,
      verdict: run.verdict,
      catalogVersion: run.catalogVersion,
      findings: counts,
      opened,
      closed: closedHere,
      changed,
      open: open.length,
      notAssessed,
      certificates: run.certificates ? { count: run.certificates.length, soonest } : null,
      clusterAdminCount: run.clusterAdminCount,
    });
  });
  const last = runs[runs.length - 1]!;
  const openFindings = open.map((t) => t.finding).sort((a, b) => a.firstRun - b.firstRun);
  const closedFindings = closed.map((t) => t.finding);
  const cluster = runs.reduce<Trend['metadata']['cluster']>((c, r) => ({ ...c, ...r.cluster }), {});
  return {
    apiVersion: 'kube-preflight/v1',
    kind: 'Trend',
    metadata: {
      generatedAt: generatedAt.toISOString(),
      tool: { name: 'kube-preflight', version: TOOL_VERSION },
      cluster,
      warnings: allWarnings,
    },
    summary: {
      runs: runs.length,
      from: runs[0]!.now,
      to: last.now,
      opened: out.reduce((a, r) => a + r.opened, 0),
      closed: closedFindings.length,
      open: openFindings.length,
      medianDaysToFix: median(closedFindings.map((f) => f.daysToFix!)),
      verdict: last.verdict,
    },
    runs: out,
    findings: [...openFindings, ...closedFindings],
    certificates: certificateSeries(runs),
  };
}
