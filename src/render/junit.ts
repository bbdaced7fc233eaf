/**
 * The report as JUnit XML (`report.junit.xml`), for CI test tabs (GitLab, Jenkins, Azure
 * DevOps, GitHub test-report actions). It follows the gate: a JUnit failure is a finding that
 * makes the verdict NO-GO, a JUnit error is a check that makes it INCOMPLETE.
 *
 * A `<testsuite>` per family; in it, per check:
 * - a `<testcase>` per finding, named `<rule>: <resource>`. A finding that gates (unwaived, at
 *   or above `metadata.failOn`, and with a baseline new or worse than before: `isBlocking`) is a
 *   `<failure>` (type = severity, the body the finding with its evidence and fix). Any other
 *   finding — below `--fail-on`, waived, in the baseline, changed but not worse — is a passing
 *   testcase whose `<system-out>` says why it does not gate, then the finding. Not `<skipped>`:
 *   JUnit and the CI tabs read skipped as "did not run" (GitLab and the GitHub reporters count
 *   it apart, Jenkins marks it yellow), while the finding was evaluated and passed the gate;
 *   Jenkins and GitLab show `<system-out>` in the test case details;
 * - a check that was not fully assessed (`summary.notAssessed`: status `error` or `incomplete`,
 *   or a `fail` with unknowns): one `<testcase>` named for the check with an `<error>` (type =
 *   the status, message = the reason, the body every subject or input it could not assess).
 *   These are exactly the checks that make a report INCOMPLETE when nothing gates;
 * - a check skipped or not applicable: one `<testcase>` with `<skipped>` and the reason;
 * - a check that passed: one passing `<testcase>` named for the check (with how many
 *   subjects it evaluated).
 * `tests`, `failures`, `errors` and `skipped` of each `<testsuite>` and of `<testsuites>`
 * count those elements. `classname` is `kube-preflight.<family>.<checkId>`. Built with
 * xmlbuilder2, which escapes text and attributes and replaces characters XML 1.0 cannot hold.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { resourceLabel } from '../k8s/fingerprint.js';
import type { CheckResult, Finding, Report } from '../contract/report.js';
import { evidencePairs, familiesOf, findingsByCheck, isBlocking, notGating } from './common.js';

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function findingText(f: Finding): string {
  const lines = [`[${f.severity}] ${f.rule}: ${f.title}`, f.message];
  if (f.previous) lines.push(`In the baseline as ${f.previous.rule} (${f.previous.severity}), fingerprint ${f.previous.fingerprint}.`);
  for (const { key, value } of evidencePairs(f.evidence)) lines.push(`  ${key}: ${value}`);
  if (f.remediation) lines.push('Fix:', ...f.remediation.split('\n').map((l) => `  ${l}`));
  lines.push(`fingerprint ${f.fingerprint}`);
  return lines.join('\n');
}

function testcase(suite: XMLBuilder, check: CheckResult, name: string, time: number): XMLBuilder {
  return suite.ele('testcase', { classname: `kube-preflight.${check.family}.${check.id}`, name, time: time.toFixed(3) });
}

function addCheck(suite: XMLBuilder, check: CheckResult, findings: Finding[], report: Report, n: Counts): void {
  const seconds = check.durationMs / 1000;
  if (check.status === 'skipped' || check.status === 'not-applicable') {
    testcase(suite, check, check.id, seconds).ele('skipped', { message: `${check.status}${check.reason ? `: ${check.reason}` : ''}` });
    n.tests++;
    n.skipped++;
    return;
  }
  if (check.status === 'error' || check.status === 'incomplete' || check.unknowns.length > 0) {
    const reason = check.reason ?? (check.status === 'error' ? 'the check could not run' : 'some subjects could not be assessed');
    // An error's reason says why; otherwise the reason summarizes the unknowns, listed in full.
    const body =
      check.status === 'error' ? reason : check.unknowns.map((u) => `not assessed: ${resourceLabel(u.resource)}: ${u.reason}`).join('\n');
    testcase(suite, check, check.id, seconds).ele('error', { type: check.status, message: reason }).txt(body);
    n.tests++;
    n.errors++;
  }
  for (const f of findings) {
    const tc = testcase(suite, check, `${f.rule}: ${resourceLabel(f.resource)}`, 0);
    n.tests++;
    if (isBlocking(f, report)) {
      tc.ele('failure', {
        type: f.severity,
        message: `${f.severity}${f.previous ? ` (was ${f.previous.severity})` : ''}: ${f.message}`,
      }).txt(findingText(f));
      n.failures++;
    } else {
      tc.ele('system-out').txt(`Does not gate: ${notGating(f, report)}.\n\n${findingText(f)}`);
    }
  }
  if (check.status === 'pass') {
    testcase(suite, check, `${check.id} (${check.evaluated} subject${check.evaluated === 1 ? '' : 's'} evaluated)`, seconds);
    n.tests++;
  }
}

/** Renders the JUnit XML document (UTF-8, pretty-printed, ending in a newline). */
export function renderJunit(report: Report): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const root = doc.ele('testsuites', { name: 'kube-preflight' });
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const timestamp = report.metadata.generatedAt.slice(0, 19);
  let totalTime = 0;
  const byCheck = findingsByCheck(report);
  for (const { family, checks } of familiesOf(report)) {
    const suite = root.ele('testsuite', { name: family });
    const n: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    const props = suite.ele('properties');
    props.ele('property', { name: 'verdict', value: report.summary.verdict });
    props.ele('property', { name: 'failOn', value: report.metadata.failOn });
    props.ele('property', { name: 'notAssessed', value: report.summary.notAssessed.map((c) => c.checkId).join(',') });
    for (const c of checks) addCheck(suite, c, byCheck.get(c.id) ?? [], report, n);
    const time = checks.reduce((t, c) => t + c.durationMs, 0) / 1000;
    totalTime += time;
    suite.att({
      tests: String(n.tests),
      failures: String(n.failures),
      errors: String(n.errors),
      skipped: String(n.skipped),
      time: time.toFixed(3),
      timestamp,
    });
    for (const k of Object.keys(total) as Array<keyof Counts>) total[k] += n[k];
  }
  root.att({
    tests: String(total.tests),
    failures: String(total.failures),
    errors: String(total.errors),
    skipped: String(total.skipped),
    time: totalTime.toFixed(3),
  });
  return doc.end({ prettyPrint: true }) + '\n';
}
