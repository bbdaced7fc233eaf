/**
 * Waivers (fingerprint or check + resource glob, expiry, stale) and baselines/diffs.
 */
import { describe, expect, it } from 'vitest';
import { applyBaseline, diffReports } from '../../src/engine/baseline.js';
import { applyWaivers, isExpired, parseWaivers } from '../../src/engine/waivers.js';
import { ConfigError } from '../../src/errors.js';
import { fingerprint } from '../../src/report/fingerprint.js';
import type { Finding, Report } from '../../src/report/model.js';

function f(checkId: string, name: string, severity: Finding['severity'] = 'critical', namespace = 'prod'): Finding {
  const resource = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace, name };
  return { checkId, rule: 'r', severity, title: 't', message: 'm', resource, evidence: {}, remediation: 'x', references: [], fingerprint: fingerprint(checkId, 'r', resource) };
}

const now = new Date('2026-11-23T07:00:00Z');

describe('parseWaivers', () => {
  it('reads fingerprint and pattern waivers (YAML dates too)', () => {
    const w = parseWaivers(
      `apiVersion: kube-preflight/v1
kind: Waivers
waivers:
  - fingerprint: "${f('pdb-blocking', 'web').fingerprint}"
    reason: single zone
    owner: platform@example.com
    expires: 2027-03-31
    ticket: OPS-123
  - checkId: pdb-blocking
    resource: { kind: PodDisruptionBudget, namespace: prod, name: "web-*" }
    reason: r
    owner: o
    expires: "2026-12-01"
`,
      'w.yaml',
    );
    expect(w).toEqual([
      { fingerprint: f('pdb-blocking', 'web').fingerprint, reason: 'single zone', owner: 'platform@example.com', expires: '2027-03-31', ticket: 'OPS-123' },
      { checkId: 'pdb-blocking', resource: { kind: 'PodDisruptionBudget', namespace: 'prod', name: 'web-*' }, reason: 'r', owner: 'o', expires: '2026-12-01' },
    ]);
  });

  it.each([
    ['waivers:\n  - checkId: x\n    owner: o\n    expires: 2027-01-01\n', 'waivers w.yaml:2: waivers[0]: reason is required'],
    ['waivers:\n  - checkId: x\n    reason: r\n    owner: o\n    expires: soon\n', 'waivers w.yaml:2: waivers[0]: expires must be a date (YYYY-MM-DD)'],
    ['waivers:\n  - reason: r\n    owner: o\n    expires: 2027-01-01\n', 'needs a fingerprint, or a checkId'],
    ['waivers:\n  - fingerprint: abc\n    reason: r\n    owner: o\n    expires: 2027-01-01\n', 'fingerprint must be the 24 hex digits'],
    ['waivers:\n  - checkId: x\n    resource: { nam: y }\n    reason: r\n    owner: o\n    expires: 2027-01-01\n', 'resource: unknown key "nam"'],
    ['kind: Config\nwaivers: []\n', 'kind must be Waivers'],
    ['waivers: {}\n', 'waivers: expected a list'],
  ])('rejects %j', (text, msg) => {
    expect(() => parseWaivers(text, 'w.yaml')).toThrow(ConfigError);
    expect(() => parseWaivers(text, 'w.yaml')).toThrow(msg);
  });
});

describe('applyWaivers', () => {
  const findings = [f('pdb-blocking', 'web-a'), f('pdb-blocking', 'web-b'), f('pdb-blocking', 'db'), f('pdb-overlap', 'web-a')];

  it('marks matches, and lists expired and stale waivers', () => {
    const r = applyWaivers(
      findings,
      [
        { checkId: 'pdb-blocking', resource: { namespace: 'prod', name: 'web-*' }, reason: 'r', owner: 'o', expires: '2026-11-23', ticket: 'T-1' },
        { fingerprint: f('pdb-blocking', 'db').fingerprint, reason: 'r', owner: 'o', expires: '2026-11-22' },
        { checkId: 'pdb-drain-plan', reason: 'r', owner: 'o', expires: '2027-01-01' },
      ],
      now,
    );
    expect(r.findings.map((x) => x.waiver?.ticket ?? (x.waiver ? 'waived' : '-'))).toEqual(['T-1', 'T-1', '-', '-']);
    expect(r.uses.map((u) => [u.state, u.matched])).toEqual([
      ['applied', 2],
      ['expired', 1],
      ['stale', 0],
    ]);
  });

  it('holds through the end of the expires day (UTC)', () => {
    const w = { checkId: 'x', reason: 'r', owner: 'o', expires: '2026-11-23' };
    expect(isExpired(w, new Date('2026-11-23T23:59:59Z'))).toBe(false);
    expect(isExpired(w, new Date('2026-11-24T00:00:00Z'))).toBe(true);
  });
});

describe('baselines and diffs', () => {
  const report = (findings: Finding[], generatedAt = '2026-11-01T00:00:00.000Z'): Report =>
    ({
      apiVersion: 'kube-preflight/v1',
      kind: 'Report',
      metadata: { generatedAt, now: generatedAt, source: { type: 'dump', location: 'd' } },
      summary: { verdict: 'NO-GO' },
      checks: [{ id: 'pdb-blocking', status: findings.length ? 'fail' : 'pass' }],
      findings,
    }) as unknown as Report;

  it('marks new and existing findings and lists the resolved ones', () => {
    const old = report([f('pdb-blocking', 'a'), f('pdb-blocking', 'gone')]);
    const r = applyBaseline([f('pdb-blocking', 'a'), f('pdb-blocking', 'fresh')], old, 'old.json');
    expect(r.findings.map((x) => x.baseline)).toEqual(['existing', 'new']);
    expect(r.summary).toMatchObject({ file: 'old.json', new: 1, existing: 1 });
    expect(r.summary.resolved.map((x) => 'name' in x.resource && x.resource.name)).toEqual(['gone']);
  });

  it('diffs two reports: new, resolved, changed severity, check status', () => {
    const a = report([f('pdb-blocking', 'a', 'high'), f('pdb-blocking', 'b')]);
    const b = report([f('pdb-blocking', 'a', 'critical'), f('pdb-blocking', 'c')], '2026-11-20T00:00:00.000Z');
    const d = diffReports(a, b);
    expect(d.new.map((x) => 'name' in x.resource && x.resource.name)).toEqual(['c']);
    expect(d.resolved.map((x) => 'name' in x.resource && x.resource.name)).toEqual(['b']);
    expect(d.changed.map((x) => [x.previousSeverity, x.severity])).toEqual([['high', 'critical']]);
    expect(d.unchanged).toBe(0);
    expect(diffReports(a, report([])).checks).toEqual([{ id: 'pdb-blocking', before: 'fail', after: 'pass' }]);
  });
});
