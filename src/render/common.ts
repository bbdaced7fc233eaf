/**
 * Words and facts every rendering of a report shares (HTML, PDF, markdown, SARIF, JUnit): family
 * names, what blocks the verdict, the cluster's and the source's labels, the time a finding
 * speaks of, and evidence flattened to `key: value` lines. Pure functions of the report.
 */
import { atOrAbove, gates } from '../engine/verdict.js';
import { FAMILIES, SEVERITIES, type Family, type Severity } from '../contract/check.js';
import type { CheckResult, Finding, Report } from '../contract/report.js';
import { resourceLabel } from '../k8s/fingerprint.js';
import { DISTRIBUTION_LABELS } from '../k8s/distribution.js';
import { num } from '../k8s/objects.js';
import { firstOf } from '../lists.js';

/** Section titles of the families, in report order. */
export const FAMILY_TITLES: Record<Family, string> = {
  certs: 'Certificates',
  etcd: 'etcd',
  versions: 'Versions and skew',
  apis: 'Deprecated APIs',
  pdb: 'Drain and disruption budgets',
  backup: 'Backups',
  rbac: 'RBAC',
};

/** Findings that make the verdict NO-GO: unwaived, new (with a baseline), at or above `--fail-on`. */
export function isBlocking(f: Finding, report: Report): boolean {
  return gates(f) && atOrAbove(f.severity, report.metadata.failOn);
}

/**
 * Why a finding that is not blocking does not gate, in the order `gates()` and `atOrAbove()`
 * decide: `waived until … by …: …`, `already in the baseline`, `changed since the baseline (…)
 * but not worse`, `below --fail-on high`, or `nothing gates (--fail-on none)`.
 */
export function notGating(f: Finding, report: Report): string {
  if (f.waiver) return `waived until ${f.waiver.expires} by ${f.waiver.owner}: ${f.waiver.reason}`;
  if (f.baseline === 'existing') return 'already in the baseline';
  if (f.previous && f.baseline === 'changed')
    return `changed since the baseline (${f.previous.rule}, ${f.previous.severity}) but not worse`;
  const failOn = report.metadata.failOn;
  return failOn === 'none' ? 'nothing gates (--fail-on none)' : `below --fail-on ${failOn}`;
}

/**
 * What was not assessed, for the line next to the verdict in every renderer:
 * `Not assessed: 3 checks, 5 unknowns (…ids)`; null when every selected check was fully assessed.
 */
export function notAssessedLine(report: Report): string | null {
  const list = report.summary.notAssessed;
  if (list.length === 0) return null;
  const unknowns = list.reduce((n, c) => n + c.unknowns, 0);
  const errors = list.filter((c) => c.status === 'error').length;
  const parts = [plural(list.length, 'check')];
  if (errors > 0) parts.push(`${errors} in error`);
  if (unknowns > 0) parts.push(plural(unknowns, 'unknown'));
  const ids = firstOf(
    list.map((c) => c.checkId),
    6,
  );
  return `Not assessed: ${parts.join(', ')} (${ids}).`;
}

/**
 * Each subject not assessed once, in report order, with the checks it affects (an unread
 * input is an unknown of every check that declared it): `label` is the subject as
 * `resourceLabel` writes it.
 */
export function unknownsBySubject(report: Report): Array<{ label: string; reason: string; checkIds: string[] }> {
  const bySubject = new Map<string, { label: string; reason: string; checkIds: string[] }>();
  for (const c of report.checks) {
    for (const u of c.unknowns) {
      const label = resourceLabel(u.resource);
      const key = `${label}\u0000${u.reason}`;
      const e = bySubject.get(key) ?? { label, reason: u.reason, checkIds: [] };
      e.checkIds.push(c.id);
      bySubject.set(key, e);
    }
  }
  return [...bySubject.values()];
}

/** `lab` or, without a cluster name, the kubeconfig context, the API server, or the dump's location. */
export function clusterLabel(report: Report): string {
  const m = report.metadata;
  return m.cluster.name ?? m.source.context ?? m.source.server ?? m.source.location;
}

/**
 * The detected distribution in one line: `k3s (gitVersion v1.31.2+k3s1 is a k3s build; …),
 * datastore SQLite or an external database (no etcd)`; undefined when the report has none
 * (a `--no-cluster` scan, or a report written before the field existed).
 */
export function distributionText(report: Report): string | undefined {
  const d = report.metadata.cluster.distribution;
  if (!d) return undefined;
  if (d.name === 'unknown') return `not recognised (${d.datastoreReason})`;
  const store =
    d.datastore === 'k3s-kine'
      ? ', datastore SQLite or an external database (no etcd)'
      : d.datastore === 'k3s-embedded-etcd'
        ? ', datastore embedded etcd'
        : '';
  return `${DISTRIBUTION_LABELS[d.name]} (${d.evidence.join('; ')})${store}`;
}

/** `dump fixtures/dumps/lab-1.26` or `live context prod (https://…)`. */
export function sourceLabel(report: Report): string {
  const s = report.metadata.source;
  if (s.type === 'dump') return `dump ${s.location}`;
  const where = s.server ?? s.location;
  return s.context ? `live, context ${s.context} (${where})` : `live ${where}`;
}

/** The findings of each check, by check id, in report order: one pass over the findings. */
export function findingsByCheck(report: Report): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = out.get(f.checkId);
    if (list) list.push(f);
    else out.set(f.checkId, [f]);
  }
  return out;
}

/** Families present in the report, in `FAMILIES` order, with their checks. */
export function familiesOf(report: Report): Array<{ family: Family; checks: CheckResult[] }> {
  return FAMILIES.map((family) => ({ family, checks: report.checks.filter((c) => c.family === family) })).filter(
    (g) => g.checks.length > 0,
  );
}

/** `n thing` / `n things`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}

/** A count with thousands separators (en-US): `4,003`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

function roundish(n: number): string {
  const a = Math.abs(n);
  return (a >= 100 ? Math.round(a) : Math.round(a * 10) / 10).toLocaleString('en-US');
}

/**
 * The time a finding speaks of, from its evidence (field-standard names): `daysLeft` /
 * `hoursLeft` (negative: already past), else `ageHours` / `ageDays`. Undefined when none.
 * `12 d left`, `expired 3 d ago`, `220.9 h old (9.2 d)`.
 */
export function timeText(evidence: Record<string, unknown>): string | undefined {
  const daysLeft = num(evidence.daysLeft);
  if (daysLeft !== undefined) return daysLeft < 0 ? `expired ${roundish(daysLeft)} d ago` : `${roundish(daysLeft)} d left`;
  const hoursLeft = num(evidence.hoursLeft);
  if (hoursLeft !== undefined) return hoursLeft < 0 ? `expired ${roundish(hoursLeft)} h ago` : `${roundish(hoursLeft)} h left`;
  const ageHours = num(evidence.ageHours);
  if (ageHours !== undefined)
    return ageHours >= 48 ? `${roundish(ageHours)} h old (${roundish(ageHours / 24)} d)` : `${roundish(ageHours)} h old`;
  const ageDays = num(evidence.ageDays);
  if (ageDays !== undefined) return `${roundish(ageDays)} d old`;
  return undefined;
}

/** A value of the evidence as one line: strings as they are, `none` for null, JSON for the rest. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x)))
    return v.length === 0 ? 'none' : v.map(valueText).join(', ');
  return JSON.stringify(v);
}

/**
 * The evidence as `key: value` pairs: nested objects one level deep as `parent.key`, lists of
 * plain values joined, anything deeper as compact JSON.
 */
export function evidencePairs(evidence: Record<string, unknown>): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  for (const [k, v] of Object.entries(evidence)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) out.push({ key: `${k}.${k2}`, value: valueText(v2) });
    } else out.push({ key: k, value: valueText(v) });
  }
  return out;
}

/** Severity rank: 0 for critical … 4 for info. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The worst status of some checks, for a family's badge: fail > error > incomplete > pass > not-applicable > skipped. */
export function worstStatus(checks: CheckResult[]): CheckResult['status'] {
  const order: Array<CheckResult['status']> = ['fail', 'error', 'incomplete', 'pass', 'not-applicable', 'skipped'];
  return order.find((s) => checks.some((c) => c.status === s)) ?? 'skipped';
}
