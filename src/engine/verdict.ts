/**
 * The verdict and exit code (DESIGN.md, "Exit codes"):
 * NO-GO (1) when an unwaived finding — new or worsened since the baseline, with `--baseline` — is at or
 * above `--fail-on`; else INCOMPLETE (3) when a check is `error` or `incomplete`; else GO (0).
 */
import type { CheckResult, Finding } from '../report/model.js';
import { SEVERITIES, type FailOn, type Severity, type Verdict } from './types.js';

export const EXIT_CODES: Record<Verdict, number> = { GO: 0, 'NO-GO': 1, INCOMPLETE: 3 };

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

export function computeVerdict(checks: CheckResult[], findings: Finding[], failOn: FailOn): { verdict: Verdict; reason: string } {
  const blocking = findings.filter((f) => gates(f) && atOrAbove(f.severity, failOn));
  const level = failOn === 'none' ? 'none' : failOn;
  if (blocking.length > 0) {
    const ids = [...new Set(blocking.map((f) => f.checkId))];
    return {
      verdict: 'NO-GO',
      reason: `${blocking.length} finding${blocking.length === 1 ? '' : 's'} at or above ${level} (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? `, +${ids.length - 5} more` : ''}) must be fixed or waived.`,
    };
  }
  const notDone = checks.filter((c) => c.status === 'error' || c.status === 'incomplete');
  const below = findings.filter(gates).length;
  if (notDone.length > 0) {
    return {
      verdict: 'INCOMPLETE',
      reason: `No finding at or above ${level}, but ${notDone.length} check${notDone.length === 1 ? '' : 's'} could not be fully evaluated (${notDone
        .slice(0, 5)
        .map((c) => `${c.id}: ${c.status}`)
        .join(', ')}${notDone.length > 5 ? ', …' : ''}).`,
    };
  }
  const ran = checks.filter((c) => c.status !== 'skipped').length;
  return {
    verdict: 'GO',
    reason: `All ${ran} selected check${ran === 1 ? '' : 's'} evaluated; no finding at or above ${level}${below > 0 ? ` (${below} below it)` : ''}.`,
  };
}
