/**
 * Baselines (`--baseline REPORT.json`) and report diffs (`kube-preflight diff A B`).
 *
 * Identity across runs: a finding is matched by its subject within a check — the same
 * `checkId` and the same resource identity (`resourceIdentity`, API version excluded, as in
 * fingerprints) — not by its fingerprint alone, so a certificate that goes from rule
 * `expires-soon` (high) to `expired` (critical) is one finding that changed, not one resolved
 * and one new. When several findings of one check share a subject (different rules on one
 * object), equal fingerprints pair first; the rest pair in order of severity (worst first),
 * then rule, then fingerprint, so the pairing is deterministic.
 *
 * Each finding of the scan is then `new` (no match), `existing` (matched, same rule and
 * severity) or `changed` (matched, rule or severity differs; `previous` holds the baseline's
 * rule, severity and fingerprint). Baseline findings with no match are `resolved`.
 *
 * Gate rule (`gates()` in src/engine/verdict.ts): an `existing` finding does not gate; a `changed`
 * finding gates only when its severity is worse than in the baseline (a regression); a `new`
 * finding gates. Waivers still apply first, and `--fail-on` still sets the threshold.
 */
import { FatalError } from '../contract/errors.js';
import { FileTooLargeError, readTextCapped } from '../files.js';
import { REPORT_MAX_BYTES } from '../limits.js';
import { resourceIdentity } from '../k8s/fingerprint.js';
import type { Finding, Report, BaselineSummary, ChangedRef, FindingRef } from '../contract/report.js';
import { parseJson } from '../sources/parse.js';
import { reportSchemaErrors } from './schema.js';
import { SEVERITIES } from '../contract/check.js';

/** Deepest nesting of arrays and objects in a report file (a scan writes about 10). */
export const REPORT_MAX_DEPTH = 64;

/** How deep arrays and objects nest in `value` (0 for a plain value), counted without recursion. */
function nestingDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, depth + 1);
    if (max > REPORT_MAX_DEPTH) break;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * Why parsed JSON is not a kube-preflight report (nested more than `REPORT_MAX_DEPTH` levels, or
 * the first three schema errors), or `undefined` when it is one.
 */
export function notAReport(data: unknown): string | undefined {
  if (nestingDepth(data) > REPORT_MAX_DEPTH) return `nested more than ${REPORT_MAX_DEPTH} levels deep`;
  const problems = reportSchemaErrors(data);
  return problems.length > 0 ? problems.slice(0, 3).join('; ') : undefined;
}

/**
 * Reads a report file (at most `REPORT_MAX_BYTES`, nested at most `REPORT_MAX_DEPTH` deep) and
 * checks it against the schema. Throws `FatalError` (exit 2), `flag` and `file` leading the message;
 * for text that is not JSON, `flag file:line:col: invalid JSON: <what was expected>`, quoting
 * nothing of the file (`parseJson`).
 */
export async function loadReport(file: string, flag: string): Promise<Report> {
  let text: string;
  try {
    text = await readTextCapped(file, REPORT_MAX_BYTES);
  } catch (e) {
    if (e instanceof FileTooLargeError) throw new FatalError(`${flag} ${file}: ${e.message}, too large for a report`);
    throw new FatalError(`${flag} ${file}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let data: unknown;
  try {
    data = parseJson(file, text);
  } catch (e) {
    // `file:line:col: invalid JSON: …`, never the text of the file (which may hold a secret).
    throw new FatalError(`${flag} ${(e as Error).message}`);
  }
  const why = notAReport(data);
  if (why !== undefined) throw new FatalError(`${flag} ${file}: not a kube-preflight report (${why})`);
  return data as Report;
}

/** A finding without its message, evidence and remediation. */
export function refOf(f: Finding): FindingRef {
  return { fingerprint: f.fingerprint, checkId: f.checkId, rule: f.rule, severity: f.severity, title: f.title, resource: f.resource };
}

/** What pairing reads of a finding (a whole `Finding`, or a `FindingRef`). */
export type Matchable = Pick<Finding, 'checkId' | 'rule' | 'severity' | 'resource' | 'fingerprint'>;

/** How the findings of two scans pair up (see the module docs). */
export interface Matching<F extends Matchable = Finding> {
  /** Findings of the later scan, in its order, each with its match in the earlier one. */
  after: Array<{ finding: F; before?: F }>;
  /** Findings of the earlier scan with no match, in its order. */
  resolved: F[];
}

const subjectOf = (f: Matchable): string => JSON.stringify([f.checkId, resourceIdentity(f.resource)]);
const pairOrder = (a: Matchable, b: Matchable): number =>
  SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
  (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
  (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0);

/** Pairs the findings of `after` with those of `before` by subject within a check. */
export function matchFindings<F extends Matchable>(before: F[], after: F[]): Matching<F> {
  const pending = new Map<string, F[]>();
  for (const f of before) pending.set(subjectOf(f), [...(pending.get(subjectOf(f)) ?? []), f]);
  const match = new Map<F, F>();
  const bySubject = new Map<string, F[]>();
  for (const f of after) bySubject.set(subjectOf(f), [...(bySubject.get(subjectOf(f)) ?? []), f]);
  for (const [subject, now] of bySubject) {
    const was = pending.get(subject);
    if (!was) continue;
    const rest: F[] = [];
    for (const f of now) {
      const i = was.findIndex((b) => b.fingerprint === f.fingerprint);
      if (i >= 0) match.set(f, was.splice(i, 1)[0]!);
      else rest.push(f);
    }
    const left = [...was].sort(pairOrder);
    rest.sort(pairOrder).forEach((f, i) => {
      if (i < left.length) match.set(f, left[i]!);
    });
  }
  const matched = new Set(match.values());
  return {
    after: after.map((finding) => (match.has(finding) ? { finding, before: match.get(finding)! } : { finding })),
    resolved: before.filter((f) => !matched.has(f)),
  };
}

const previousOf = (f: Finding): NonNullable<Finding['previous']> => ({ rule: f.rule, severity: f.severity, fingerprint: f.fingerprint });
const differs = (now: Finding, was: Finding): boolean => now.rule !== was.rule || now.severity !== was.severity;

/**
 * Marks each finding `new`, `existing` or `changed` (with `previous`) against the baseline
 * report, and lists the changed and resolved ones.
 */
export function applyBaseline(findings: Finding[], baseline: Report, file: string): { findings: Finding[]; summary: BaselineSummary } {
  const m = matchFindings(baseline.findings, findings);
  const marked: Finding[] = m.after.map(({ finding, before }) => {
    if (!before) return { ...finding, baseline: 'new' };
    if (!differs(finding, before)) return { ...finding, baseline: 'existing' };
    return { ...finding, baseline: 'changed', previous: previousOf(before) };
  });
  return {
    findings: marked,
    summary: {
      file,
      generatedAt: baseline.metadata.generatedAt,
      new: marked.filter((f) => f.baseline === 'new').length,
      existing: marked.filter((f) => f.baseline === 'existing').length,
      changed: marked.filter((f) => f.baseline === 'changed').map((f) => ({ ...refOf(f), previous: f.previous! })),
      resolved: m.resolved.map(refOf),
    },
  };
}

export interface ReportDiff {
  from: { generatedAt: string; now: string; verdict: Report['summary']['verdict']; source: string };
  to: { generatedAt: string; now: string; verdict: Report['summary']['verdict']; source: string };
  /** Findings of `b` with no match in `a`. */
  new: FindingRef[];
  /** Findings of `a` with no match in `b`. */
  resolved: FindingRef[];
  /** Matched findings whose rule or severity differs, as in `b`, with `previous` as in `a`. */
  changed: ChangedRef[];
  /** Matched findings with the same rule and severity. */
  unchanged: number;
  /** Checks whose status differs: id, before, after. */
  checks: Array<{ id: string; before: string; after: string }>;
}

/** What changed from report `a` to report `b`, matching findings as baselines do. */
export function diffReports(a: Report, b: Report): ReportDiff {
  const m = matchFindings(a.findings, b.findings);
  const side = (r: Report) => ({
    generatedAt: r.metadata.generatedAt,
    now: r.metadata.now,
    verdict: r.summary.verdict,
    source: `${r.metadata.source.type} ${r.metadata.source.location}`,
  });
  const statusA = new Map(a.checks.map((c) => [c.id, c.status as string]));
  const statusB = new Map(b.checks.map((c) => [c.id, c.status as string]));
  const ids = [...new Set([...statusA.keys(), ...statusB.keys()])].sort();
  return {
    from: side(a),
    to: side(b),
    new: m.after.filter((x) => !x.before).map((x) => refOf(x.finding)),
    resolved: m.resolved.map(refOf),
    changed: m.after.flatMap(({ finding, before }) =>
      before && differs(finding, before) ? [{ ...refOf(finding), previous: previousOf(before) }] : [],
    ),
    unchanged: m.after.filter(({ finding, before }) => before && !differs(finding, before)).length,
    checks: ids
      .map((id) => ({ id, before: statusA.get(id) ?? 'absent', after: statusB.get(id) ?? 'absent' }))
      .filter((c) => c.before !== c.after),
  };
}
