/**
 * The verdict and exit code (README, "Statuses, unknowns and the verdict"; docs/architecture.md, "Verdict and exit codes"):
 *
 * 1. `NO-GO` (exit 1) when a finding gates: unwaived, at or above `--fail-on`, and with
 *    `--baseline` new or worse than in the baseline (`gates`);
 * 2. else `INCOMPLETE` (exit 3) when anything selected was not fully assessed: a check in
 *    `error` or `incomplete`, or any check — `fail` included — with unknowns (subjects it
 *    could not judge, or inputs and input parts that were not read);
 * 3. else `REPORT-ONLY` (exit 0) with `--fail-on none`: the gate is off, the report is
 *    evidence and decides nothing, so it never reads as GO;
 * 4. else `GO` (exit 0): every selected check fully assessed, no finding at or above `--fail-on`.
 */
import type { CheckResult, Finding, NotAssessed, Problem } from '../contract/report.js';
import { SEVERITIES, type FailOn, type Severity, type Verdict } from '../contract/check.js';
import { firstOf } from '../lists.js';

export const EXIT_CODES: Record<Verdict, number> = { GO: 0, 'NO-GO': 1, INCOMPLETE: 3, 'REPORT-ONLY': 0 };

/**
 * True when a finding counts toward the gate (before `--fail-on`): not waived, and with a
 * baseline either `new`, or `changed` to a worse severity than the baseline's (a regression).
 * An `existing` finding, or a `changed` one whose severity is the same or better, does not gate.
 */
export function gates(f: Finding): boolean {
  if (f.waiver !== undefined || f.baseline === 'existing') return false;
  if (f.baseline === 'changed') return f.previous !== undefined && SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(f.previous.severity);
  return true;
}

/** True when `severity` is at or above `failOn`. */
export function atOrAbove(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(failOn);
}

/** The findings that decide a NO-GO: gating and at or above `failOn` (none with `none`). */
export function blockingFindings(findings: Finding[], failOn: FailOn): Finding[] {
  return findings.filter((f) => gates(f) && atOrAbove(f.severity, failOn));
}

/**
 * The selected checks that were not fully assessed, in report order: status `error` or
 * `incomplete`, or any other non-skipped check with unknowns (a `fail` with unread parts).
 */
export function notAssessed(checks: CheckResult[]): NotAssessed[] {
  return checks
    .filter((c) => c.status === 'error' || c.status === 'incomplete' || (c.status !== 'skipped' && c.unknowns.length > 0))
    .map((c) => ({
      checkId: c.id,
      status: c.status,
      unknowns: c.unknowns.length,
      reason: c.reason ?? `${c.unknowns.length} subject(s) not assessed`,
    }));
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function listChecks(list: NotAssessed[]): string {
  return firstOf(
    list.map((n) => (n.status === 'error' ? `${n.checkId} (error)` : `${n.checkId} (${plural(n.unknowns, 'unknown')})`)),
    4,
  );
}

/** Blocking problems a NO-GO reason names by title; the rest are counted. */
export const REASON_PROBLEMS = 2;

/**
 * The verdict and its one-sentence reason. A NO-GO reason names the blocking problems by
 * impact (`problems` as `groupProblems` sorts them: most severe first, then most findings),
 * the first `REASON_PROBLEMS` by title. An INCOMPLETE reason names the checks not fully
 * assessed; with any verdict, `summary.notAssessed` lists them for the line every renderer
 * shows next to the verdict.
 */
export function computeVerdict(
  checks: CheckResult[],
  findings: Finding[],
  failOn: FailOn,
  problems: Problem[],
): { verdict: Verdict; reason: string } {
  const blocking = blockingFindings(findings, failOn);
  const gaps = notAssessed(checks);
  if (blocking.length > 0) {
    const named = problems.filter((p) => p.blocking);
    const titles = firstOf(
      named.map((p) => p.title),
      REASON_PROBLEMS,
      '; ',
    );
    return {
      verdict: 'NO-GO',
      reason:
        `${plural(named.length, 'problem')} (${plural(blocking.length, 'finding')} at or above ` +
        `${failOn}) must be fixed or waived: ${titles}.`,
    };
  }
  const below = findings.filter(gates).length;
  const belowNote = below > 0 ? `; ${plural(below, 'finding')} below it` : '';
  if (gaps.length > 0) {
    const lead =
      failOn === 'none'
        ? `Gate off (--fail-on none), ${plural(below, 'finding')} reported`
        : `No finding at or above ${failOn}${belowNote}`;
    return {
      verdict: 'INCOMPLETE',
      reason: `${lead}, but ${plural(gaps.length, 'check')} could not be fully assessed: ${listChecks(gaps)}.`,
    };
  }
  const ran = checks.filter((c) => c.status !== 'skipped').length;
  if (failOn === 'none') {
    return {
      verdict: 'REPORT-ONLY',
      reason:
        `Gate off (--fail-on none): ${plural(ran, 'selected check')} fully assessed, ` +
        `${plural(below, 'finding')} reported; nothing was judged GO or NO-GO.`,
    };
  }
  return {
    verdict: 'GO',
    reason:
      `All ${plural(ran, 'selected check')} fully assessed; no finding at or above ` +
      `${failOn}${below > 0 ? ` (${below.toLocaleString('en-US')} below it)` : ''}.`,
  };
}
