/**
 * The CI formats follow the gate: on one scan of the bundled sample with `--fail-on high`, a
 * baseline and a waiver, the findings that gate are the JUnit failures, the SARIF results of
 * level `error`, and the report's own `gates() && atOrAbove()`; the checks in error or
 * incomplete, and any check with unknowns (summary.notAssessed), are the JUnit errors; the
 * testsuite counts match their elements.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { defineCheck, type RegisteredCheck } from '../../src/contract/check.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { atOrAbove, gates } from '../../src/engine/verdict.js';
import { fingerprint } from '../../src/k8s/fingerprint.js';
import type { Finding, Report } from '../../src/contract/report.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { renderJunit } from '../../src/render/junit.js';
import { renderSarif } from '../../src/render/sarif.js';
import { DumpSource } from '../../src/sources/dump.js';
import { SAMPLE_DUMP, SAMPLE_NOW } from './sample.js';
import { parseXml, sarifProblems } from './validators.js';

const doc = {
  rationale: 'test',
  remediation: 'none',
  references: ['https://example.com/'],
  defaultSeverity: 'high' as const,
  defaultOptions: {},
};
/** Two checks that cannot finish: one throws (status `error`), one cannot assess a node (`incomplete`). */
const broken: RegisteredCheck[] = [
  defineCheck({
    ...doc,
    id: 'versions-test-crash',
    family: 'versions',
    title: 'Crashes',
    rules: { x: { title: 'x' } },
    requires: ['nodes'],
    run: () => {
      throw new Error('boom');
    },
  }),
  defineCheck({
    ...doc,
    id: 'versions-test-unknown',
    family: 'versions',
    title: 'Cannot tell',
    rules: { x: { title: 'x' } },
    requires: ['nodes'],
    run: () => ({ evaluated: 1, findings: [], unknowns: [{ resource: { kind: 'Node', name: 'lab-cp-1' }, reason: 'no status' }] }),
  }),
].map((def) => ({ def: def, origin: 'test' }));

async function scanSample(baseline?: Report): Promise<Report> {
  const source = await DumpSource.open(SAMPLE_DUMP);
  try {
    const { report } = await scan({
      source,
      registry: new Registry([...(await loadBuiltinChecks()), ...broken]),
      config: EMPTY_CONFIG,
      now: new Date(SAMPLE_NOW),
      failOn: 'high',
      options: { requestTimeoutMs: 30_000 },
      waivers: {
        file: 'waivers.yaml',
        list: [{ checkId: 'pdb-blocking', reason: 'accepted', owner: 'ops@example.com', expires: '2027-01-01' }],
      },
      ...(baseline ? { baseline: { file: 'baseline.json', report: baseline } } : {}),
    });
    return report;
  } finally {
    await source.close();
  }
}

/**
 * A baseline made from the scan itself: the first critical finding missing (it is new), one
 * high finding at `low` (it got worse), one medium finding under another rule (changed, not
 * worse), one low finding at `critical` (it got better); the rest existing.
 */
function baselineOf(r: Report): Report {
  const pick = (s: Finding['severity']) => r.findings.find((f) => f.severity === s && !f.waiver)!;
  const [gone, worse, renamed, better] = [pick('critical'), pick('high'), pick('medium'), pick('low')];
  const findings = r.findings
    .filter((f) => f !== gone)
    .map((f) =>
      f === worse
        ? { ...f, severity: 'low' as const }
        : f === renamed
          ? { ...f, rule: 'older-rule', fingerprint: fingerprint(f.checkId, 'older-rule', f.resource) }
          : f === better
            ? { ...f, severity: 'critical' as const }
            : f,
    );
  return { ...r, findings };
}

type Xml = Record<string, unknown>;
const list = (v: unknown): Xml[] => (v === undefined ? [] : ([v].flat() as Xml[]));

let report: Report;
let junit: string;
let sarif: string;
beforeAll(async () => {
  report = await scanSample(baselineOf(await scanSample()));
  junit = renderJunit(report);
  sarif = renderSarif(report);
});

describe('JUnit and SARIF follow the gate', () => {
  it('the scan has every kind of finding and valid outputs', () => {
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(sarifProblems(sarif)).toEqual([]);
    const kinds = report.findings.map((f) =>
      f.waiver ? 'waived' : f.baseline === 'changed' ? `changed ${gates(f) ? 'worse' : 'not worse'}` : f.baseline,
    );
    expect([...new Set(kinds)].sort()).toEqual(['changed not worse', 'changed worse', 'existing', 'new', 'waived']);
    expect(report.baseline!.changed).toHaveLength(3);
    expect(report.checks.filter((c) => c.id.startsWith('versions-test-')).map((c) => `${c.id} ${c.status}`)).toEqual([
      'versions-test-crash error',
      'versions-test-unknown incomplete',
    ]);
  });

  it('gating findings = JUnit failures = SARIF errors; checks not fully assessed = JUnit errors', () => {
    const gating = report.findings.filter((f) => gates(f) && atOrAbove(f.severity, report.metadata.failOn));
    expect(gating.map((f) => f.baseline)).toEqual(['new', 'changed']);
    const root = (parseXml(junit) as { testsuites: Xml }).testsuites;
    const cases = list(root.testsuite).flatMap((s) => list(s.testcase));
    expect(cases.filter((c) => c.failure !== undefined)).toHaveLength(gating.length);
    expect(root['@failures']).toBe(String(gating.length));
    const results = JSON.parse(sarif).runs[0].results as Array<{ level: string; partialFingerprints: Record<string, string> }>;
    expect(results.filter((r) => r.level === 'error').map((r) => r.partialFingerprints['kubePreflight/v1'])).toEqual(
      gating.map((f) => f.fingerprint),
    );
    const notDone = report.summary.notAssessed.length;
    expect(notDone).toBeGreaterThanOrEqual(2);
    expect(cases.filter((c) => c.error !== undefined)).toHaveLength(notDone);
    expect(root['@errors']).toBe(String(notDone));
  });

  it('testsuite attributes count their elements', () => {
    const root = (parseXml(junit) as { testsuites: Xml }).testsuites;
    const count = (cases: Xml[]) => ({
      tests: String(cases.length),
      failures: String(cases.filter((c) => c.failure !== undefined).length),
      errors: String(cases.filter((c) => c.error !== undefined).length),
      skipped: String(cases.filter((c) => c.skipped !== undefined).length),
    });
    const attrs = (x: Xml) => ({ tests: x['@tests'], failures: x['@failures'], errors: x['@errors'], skipped: x['@skipped'] });
    for (const s of list(root.testsuite)) expect(attrs(s)).toEqual(count(list(s.testcase)));
    expect(attrs(root)).toEqual(count(list(root.testsuite).flatMap((s) => list(s.testcase))));
  });

  it('SARIF marks baseline states and suppressions, and levels non-gating findings by severity', () => {
    const results = JSON.parse(sarif).runs[0].results as Array<{
      level: string;
      baselineState: string;
      suppressions?: unknown[];
      properties: { severity: string };
    }>;
    const states = report.findings.map((f, i) => [f.baseline, results[i]!.baselineState]);
    expect([...new Set(states.map((s) => s.join(' → ')))].sort()).toEqual(['changed → updated', 'existing → unchanged', 'new → new']);
    expect(results.filter((r) => r.suppressions).length).toBe(report.findings.filter((f) => f.waiver).length);
    const others = results.filter((r) => r.level !== 'error');
    expect(others.filter((r) => r.level === 'warning').every((r) => ['critical', 'high', 'medium'].includes(r.properties.severity))).toBe(
      true,
    );
    expect(others.filter((r) => r.level === 'note').every((r) => ['low', 'info'].includes(r.properties.severity))).toBe(true);
    expect(others).toHaveLength(report.findings.length - 2);
  });
});
