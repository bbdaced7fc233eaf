/**
 * The report as JUnit XML (`report.junit.xml`), for CI test tabs (GitLab, Jenkins, Azure
 * DevOps, GitHub test-report actions).
 *
 * A `<testsuite>` per family; in it, per check:
 * - a check that found something: a `<testcase>` per subject (resource) with findings, a
 *   `<failure>` (type = the worst severity; the body lists each finding with its evidence and
 *   fix). Findings that are waived, or already in the baseline, make the subject `<skipped>`
 *   with the reason instead, since they do not count toward the verdict;
 * - a subject the check could not assess: a `<testcase>` with an `<error type="unknown">`;
 * - a check that errored: one `<testcase>` named for the check with an `<error>`;
 * - a check skipped or not applicable: one `<testcase>` with `<skipped>` and the reason;
 * - a check that passed: one passing `<testcase>` named for the check (with how many
 *   subjects it evaluated).
 * `classname` is `kube-preflight.<family>.<checkId>`. Built with xmlbuilder2, which escapes
 * text and attributes and replaces characters XML 1.0 cannot hold.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { resourceIdentity, resourceLabel } from '../report/fingerprint.js';
import type { CheckResult, Finding, Report } from '../report/model.js';
import { evidencePairs, familiesOf, findingsOf, severityRank } from './common.js';

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function findingText(f: Finding): string {
  const lines = [`[${f.severity}] ${f.rule}: ${f.title}`, f.message];
  for (const { key, value } of evidencePairs(f.evidence)) lines.push(`  ${key}: ${value}`);
  if (f.remediation) lines.push('Fix:', ...f.remediation.split('\n').map((l) => `  ${l}`));
  lines.push(`fingerprint ${f.fingerprint}`);
  return lines.join('\n');
}

function testcase(suite: XMLBuilder, check: CheckResult, name: string, time: number): XMLBuilder {
  return suite.ele('testcase', { classname: `kube-preflight.${check.family}.${check.id}`, name, time: time.toFixed(3) });
}

function addCheck(suite: XMLBuilder, check: CheckResult, report: Report, n: Counts): void {
  const seconds = check.durationMs / 1000;
  if (check.status === 'error') {
    testcase(suite, check, check.id, seconds).ele('error', { type: 'error', message: check.reason ?? 'the check could not run' }).txt(check.reason ?? '');
    n.tests++;
    n.errors++;
    return;
  }
  if (check.status === 'skipped' || check.status === 'not-applicable') {
    testcase(suite, check, check.id, seconds).ele('skipped', { message: `${check.status}${check.reason ? `: ${check.reason}` : ''}` });
    n.tests++;
    n.skipped++;
    return;
  }
  const bySubject = new Map<string, Finding[]>();
  for (const f of findingsOf(report, check)) {
    const k = resourceIdentity(f.resource);
    bySubject.set(k, [...(bySubject.get(k) ?? []), f]);
  }
  for (const fs of bySubject.values()) {
    fs.sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
    const tc = testcase(suite, check, resourceLabel(fs[0]!.resource), 0);
    n.tests++;
    const counting = fs.filter((f) => !f.waiver && f.baseline !== 'existing');
    if (counting.length > 0) {
      const worst = counting[0]!;
      const message = counting.length === 1 ? `${worst.severity}: ${worst.message}` : `${counting.length} findings, worst ${worst.severity}: ${worst.message}`;
      tc.ele('failure', { type: worst.severity, message }).txt(counting.map(findingText).join('\n\n'));
      n.failures++;
    } else {
      const why = fs.map((f) => (f.waiver ? `waived until ${f.waiver.expires} by ${f.waiver.owner}: ${f.waiver.reason}` : 'already in the baseline')).join('; ');
      tc.ele('skipped', { message: why });
      n.skipped++;
    }
  }
  for (const u of check.unknowns) {
    testcase(suite, check, resourceLabel(u.resource), 0).ele('error', { type: 'unknown', message: `could not be assessed: ${u.reason}` });
    n.tests++;
    n.errors++;
  }
  if (check.status === 'pass') {
    testcase(suite, check, `${check.id} (${check.evaluated} subject${check.evaluated === 1 ? '' : 's'} evaluated)`, seconds);
    n.tests++;
  }
}

/** Renders the JUnit XML document. */
export function renderJunit(report: Report): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const root = doc.ele('testsuites', { name: 'kube-preflight' });
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const timestamp = report.metadata.generatedAt.slice(0, 19);
  let totalTime = 0;
  for (const { family, checks } of familiesOf(report)) {
    const suite = root.ele('testsuite', { name: family });
    const n: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    const props = suite.ele('properties');
    props.ele('property', { name: 'verdict', value: report.summary.verdict });
    props.ele('property', { name: 'failOn', value: report.metadata.failOn });
    for (const c of checks) addCheck(suite, c, report, n);
    const time = checks.reduce((t, c) => t + c.durationMs, 0) / 1000;
    totalTime += time;
    suite.att({ tests: String(n.tests), failures: String(n.failures), errors: String(n.errors), skipped: String(n.skipped), time: time.toFixed(3), timestamp });
    for (const k of Object.keys(total) as Array<keyof Counts>) total[k] += n[k];
  }
  root.att({ tests: String(total.tests), failures: String(total.failures), errors: String(total.errors), skipped: String(total.skipped), time: totalTime.toFixed(3) });
  return doc.end({ prettyPrint: true }) + '\n';
}
