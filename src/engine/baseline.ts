/**
 * Baselines (`--baseline REPORT.json`) and report diffs (`kube-preflight diff A B`).
 *
 * With a baseline, only findings whose fingerprint is not in the baseline report count toward
 * the gate; the report lists how many are new and still present, and which were resolved.
 * Fingerprints depend on check, rule and resource only (src/report/fingerprint.ts), so a
 * finding keeps its identity across scans whatever its message or evidence.
 */
import { readFile } from 'node:fs/promises';
import { FatalError } from '../errors.js';
import type { Finding, Report } from '../report/model.js';
import { reportSchemaErrors } from '../report/schema.js';

/** A finding as listed among the resolved or changed ones (no evidence). */
export interface FindingRef {
  fingerprint: string;
  checkId: string;
  rule: string;
  severity: Finding['severity'];
  title: string;
  resource: Finding['resource'];
}

export interface BaselineSummary {
  file: string;
  generatedAt: string;
  new: number;
  existing: number;
  resolved: FindingRef[];
}

/** Reads a report file and checks it against the schema. Throws `FatalError` (exit 2). */
export async function loadReport(file: string, flag: string): Promise<Report> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FatalError(`${flag} ${file}: ${code ? `cannot read it: ${code}` : `not JSON: ${(e as Error).message}`}`);
  }
  const problems = reportSchemaErrors(data);
  if (problems.length > 0) throw new FatalError(`${flag} ${file}: not a kube-preflight report (${problems.slice(0, 3).join('; ')})`);
  return data as Report;
}

export function refOf(f: Finding): FindingRef {
  return { fingerprint: f.fingerprint, checkId: f.checkId, rule: f.rule, severity: f.severity, title: f.title, resource: f.resource };
}

/** Marks each finding `new` or `existing` against the baseline, and lists the resolved ones. */
export function applyBaseline(findings: Finding[], baseline: Report, file: string): { findings: Finding[]; summary: BaselineSummary } {
  const before = new Set(baseline.findings.map((f) => f.fingerprint));
  const now = new Set(findings.map((f) => f.fingerprint));
  const marked = findings.map((f) => ({ ...f, baseline: before.has(f.fingerprint) ? ('existing' as const) : ('new' as const) }));
  return {
    findings: marked,
    summary: {
      file,
      generatedAt: baseline.metadata.generatedAt,
      new: marked.filter((f) => f.baseline === 'new').length,
      existing: marked.filter((f) => f.baseline === 'existing').length,
      resolved: baseline.findings.filter((f) => !now.has(f.fingerprint)).map(refOf),
    },
  };
}

export interface ReportDiff {
  from: { generatedAt: string; now: string; verdict: Report['summary']['verdict']; source: string };
  to: { generatedAt: string; now: string; verdict: Report['summary']['verdict']; source: string };
  new: FindingRef[];
  resolved: FindingRef[];
  changed: Array<FindingRef & { previousSeverity: Finding['severity'] }>;
  unchanged: number;
  /** Checks whose status differs: id, before, after. */
  checks: Array<{ id: string; before: string; after: string }>;
}

/** What changed from report `a` to report `b`. */
export function diffReports(a: Report, b: Report): ReportDiff {
  const byFp = (r: Report) => new Map(r.findings.map((f) => [f.fingerprint, f]));
  const A = byFp(a);
  const B = byFp(b);
  const side = (r: Report) => ({ generatedAt: r.metadata.generatedAt, now: r.metadata.now, verdict: r.summary.verdict, source: `${r.metadata.source.type} ${r.metadata.source.location}` });
  const statusA = new Map(a.checks.map((c) => [c.id, c.status as string]));
  const statusB = new Map(b.checks.map((c) => [c.id, c.status as string]));
  const ids = [...new Set([...statusA.keys(), ...statusB.keys()])].sort();
  return {
    from: side(a),
    to: side(b),
    new: b.findings.filter((f) => !A.has(f.fingerprint)).map(refOf),
    resolved: a.findings.filter((f) => !B.has(f.fingerprint)).map(refOf),
    changed: b.findings
      .filter((f) => A.has(f.fingerprint) && A.get(f.fingerprint)!.severity !== f.severity)
      .map((f) => ({ ...refOf(f), previousSeverity: A.get(f.fingerprint)!.severity })),
    unchanged: b.findings.filter((f) => A.has(f.fingerprint) && A.get(f.fingerprint)!.severity === f.severity).length,
    checks: ids
      .map((id) => ({ id, before: statusA.get(id) ?? 'absent', after: statusB.get(id) ?? 'absent' }))
      .filter((c) => c.before !== c.after),
  };
}
