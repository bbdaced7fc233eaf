/**
 * Waivers (fingerprint or check + resource glob, expiry, stale) and baselines/diffs.
 */
import { describe, expect, it } from 'vitest';
import { applyBaseline, diffReports } from '../../src/report/baseline.js';
import { gates } from '../../src/engine/verdict.js';
import { applyWaivers, isExpired, parseWaivers } from '../../src/engine/waivers.js';
import { ConfigError } from '../../src/contract/errors.js';
import { fingerprint } from '../../src/k8s/fingerprint.js';
import type { Finding, Report } from '../../src/contract/report.js';

function f(
  checkId: string,
  name: string,
  severity: Finding['severity'] = 'critical',
  namespace = 'prod',
  rule = 'r',
  apiVersion = 'policy/v1',
): Finding {
  const resource = { apiVersion, kind: 'PodDisruptionBudget', namespace, name };
  return {
    checkId,
    rule,
    severity,
    title: 't',
    message: 'm',
    resource,
    evidence: {},
    remediation: 'x',
    references: [],
    fingerprint: fingerprint(checkId, rule, resource),
  };
}

/** A certificate finding on one Secret: the rule and severity vary, the subject does not. */
function cert(rule: string, severity: Finding['severity'], name = 'web-tls'): Finding {
  const resource = { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name, field: 'tls.crt#0' };
  return {
    checkId: 'certs-cluster-expiry',
    rule,
    severity,
    title: rule,
    message: 'm',
    resource,
    evidence: {},
    remediation: 'x',
    references: [],
    fingerprint: fingerprint('certs-cluster-expiry', rule, resource),
  };
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
  - checkId: certs-cluster-expiry
    rule: "expires-*"
    reason: r
    owner: o
    expires: "2026-12-01"
`,
      'w.yaml',
    );
    expect(w).toEqual([
      {
        fingerprint: f('pdb-blocking', 'web').fingerprint,
        reason: 'single zone',
        owner: 'platform@example.com',
        expires: '2027-03-31',
        ticket: 'OPS-123',
      },
      {
        checkId: 'pdb-blocking',
        resource: { kind: 'PodDisruptionBudget', namespace: 'prod', name: 'web-*' },
        reason: 'r',
        owner: 'o',
        expires: '2026-12-01',
      },
      { checkId: 'certs-cluster-expiry', rule: 'expires-*', reason: 'r', owner: 'o', expires: '2026-12-01' },
    ]);
  });

  it.each([
    ['waivers:\n  - checkId: x\n    owner: o\n    expires: 2027-01-01\n', 'waivers w.yaml:2: waivers[0]: reason is required'],
    [
      'waivers:\n  - checkId: x\n    reason: r\n    owner: o\n    expires: soon\n',
      'waivers w.yaml:5: waivers[0].expires: soon: expected a date as YYYY-MM-DD',
    ],
    [
      'waivers:\n  - checkId: x\n    reason: r\n    expires: 2027-02-30\n    owner: o\n',
      'waivers w.yaml:4: waivers[0].expires: 2027-02-30: February 2027 has 28 days',
    ],
    [
      'waivers:\n  - checkId: x\n    reason: r\n    owner: o\n    expires: 2027-02-29\n',
      'waivers w.yaml:5: waivers[0].expires: 2027-02-29: February 2027 has 28 days',
    ],
    [
      'waivers:\n  - checkId: x\n    reason: r\n    owner: o\n    expires: 2027-13-01\n',
      'waivers w.yaml:5: waivers[0].expires: 2027-13-01: there is no month 13',
    ],
    [
      'waivers:\n  - checkId: x\n    reason: r\n    owner: o\n    expires: 2027-01-01T00:00:00Z\n',
      'waivers w.yaml:5: waivers[0].expires: 2027-01-01T00:00:00Z: expected a date as YYYY-MM-DD',
    ],
    [
      'waivers:\n  - checkId: x\n    reason: r\n    owner: o\n    expires: 20270101\n',
      'waivers w.yaml:5: waivers[0].expires: expected a date as YYYY-MM-DD',
    ],
    ['waivers:\n  - checkId: x\n    reason: r\n    owner: o\n', 'waivers w.yaml:2: waivers[0]: expires is required'],
    ['waivers:\n  - reason: r\n    owner: o\n    expires: 2027-01-01\n', 'needs a fingerprint, or a checkId'],
    ['waivers:\n  - fingerprint: abc\n    reason: r\n    owner: o\n    expires: 2027-01-01\n', 'fingerprint must be the 24 hex digits'],
    [
      'waivers:\n  - checkId: x\n    resource: { nam: y }\n    reason: r\n    owner: o\n    expires: 2027-01-01\n',
      'resource: unknown key "nam"',
    ],
    [
      `waivers:\n  - fingerprint: "${'a'.repeat(24)}"\n    rule: expired\n    reason: r\n    owner: o\n    expires: 2027-01-01\n`,
      'give either fingerprint, or checkId with rule and resource — not both',
    ],
    [
      'waivers:\n  - checkId: x\n    rule: 7\n    reason: r\n    owner: o\n    expires: 2027-01-01\n',
      'waivers w.yaml:2: waivers[0]: rule must be a rule name or glob',
    ],
    [
      'waivers:\n  - checkId: x\n    reason: r\n    owner: o\n    expires: 2027-01-01\n    ticket: { id: 7 }\n',
      'waivers w.yaml:6: waivers[0].ticket: expected a ticket id or URL',
    ],
    ['kind: Config\nwaivers: []\n', 'kind must be Waivers'],
    ['waivers: {}\n', 'waivers: expected a list'],
  ])('rejects %j', (text, msg) => {
    expect(() => parseWaivers(text, 'w.yaml')).toThrow(ConfigError);
    expect(() => parseWaivers(text, 'w.yaml')).toThrow(msg);
  });

  it('rejects globs picomatch cannot compile, naming the key', () => {
    const long = 'a'.repeat(70_000);
    expect(() =>
      parseWaivers(`waivers:\n  - checkId: x\n    rule: ${long}\n    reason: r\n    owner: o\n    expires: 2027-01-01\n`, 'w.yaml'),
    ).toThrow('waivers w.yaml:3: waivers[0].rule: not a usable glob: Input length: 70000, exceeds maximum allowed length: 65536');
    expect(() =>
      parseWaivers(
        `waivers:\n  - checkId: x\n    resource: { name: ${long} }\n    reason: r\n    owner: o\n    expires: 2027-01-01\n`,
        'w.yaml',
      ),
    ).toThrow('waivers w.yaml:2: waivers[0]: resource.name: not a usable glob: Input length: 70000');
  });
});

describe('applyWaivers', () => {
  const findings = [f('pdb-blocking', 'web-a'), f('pdb-blocking', 'web-b'), f('pdb-blocking', 'db'), f('pdb-overlap', 'web-a')];

  it('marks matches, and lists expired and stale waivers', () => {
    const r = applyWaivers(
      findings,
      [
        {
          checkId: 'pdb-blocking',
          resource: { namespace: 'prod', name: 'web-*' },
          reason: 'r',
          owner: 'o',
          expires: '2026-11-23',
          ticket: 'T-1',
        },
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

  it('a fingerprint waiver does not follow a finding to another rule; a check waiver without rule does', () => {
    const byFingerprint = { fingerprint: cert('expires-soon', 'high').fingerprint, reason: 'r', owner: 'o', expires: '2027-01-01' };
    const byCheck = { checkId: 'certs-cluster-expiry', resource: { name: 'web-*' }, reason: 'r', owner: 'o', expires: '2027-01-01' };
    const byRule = { ...byCheck, rule: 'expires-*' };
    const findings = [cert('expires-soon', 'high'), cert('expired', 'critical', 'web-old')];
    expect(applyWaivers(findings, [byFingerprint], now).findings.map((x) => x.waiver !== undefined)).toEqual([true, false]);
    expect(applyWaivers(findings, [byCheck], now).findings.map((x) => x.waiver !== undefined)).toEqual([true, true]);
    expect(applyWaivers(findings, [byRule], now).findings.map((x) => x.waiver !== undefined)).toEqual([true, false]);
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
    expect(r.summary).toMatchObject({ file: 'old.json', new: 1, existing: 1, changed: [] });
    expect(r.summary.resolved.map((x) => 'name' in x.resource && x.resource.name)).toEqual(['gone']);
  });

  it('matches a finding by its subject within a check: a new rule is a change, not resolved + new', () => {
    const soon = cert('expires-soon', 'high');
    const r = applyBaseline([cert('expired', 'critical')], report([soon]), 'old.json');
    expect(r.findings.map((x) => [x.baseline, x.previous])).toEqual([
      ['changed', { rule: 'expires-soon', severity: 'high', fingerprint: soon.fingerprint }],
    ]);
    expect(r.summary.resolved).toEqual([]);
    expect(r.summary.changed).toEqual([
      {
        fingerprint: cert('expired', 'critical').fingerprint,
        checkId: 'certs-cluster-expiry',
        rule: 'expired',
        severity: 'critical',
        title: 'expired',
        resource: soon.resource,
        previous: { rule: 'expires-soon', severity: 'high', fingerprint: soon.fingerprint },
      },
    ]);
  });

  it('the API version is not part of the subject; the check is', () => {
    const r = applyBaseline(
      [f('pdb-blocking', 'a', 'critical', 'prod', 'r', 'policy/v1beta1'), f('pdb-overlap', 'a')],
      report([f('pdb-blocking', 'a')]),
      'old.json',
    );
    expect(r.findings.map((x) => x.baseline)).toEqual(['existing', 'new']);
    expect(r.summary.resolved).toEqual([]);
  });

  it('several rules on one subject: equal fingerprints pair first, the rest worst with worst', () => {
    const old = report([
      f('pdb-blocking', 'a', 'low', 'prod', 'keep'),
      f('pdb-blocking', 'a', 'medium', 'prod', 'x'),
      f('pdb-blocking', 'a', 'high', 'prod', 'y'),
    ]);
    const now = [
      f('pdb-blocking', 'a', 'info', 'prod', 'z'),
      f('pdb-blocking', 'a', 'low', 'prod', 'keep'),
      f('pdb-blocking', 'a', 'critical', 'prod', 'w'),
    ];
    const r = applyBaseline(now, old, 'old.json');
    expect(r.findings.map((x) => [x.rule, x.baseline, x.previous?.rule])).toEqual([
      ['z', 'changed', 'x'],
      ['keep', 'existing', undefined],
      ['w', 'changed', 'y'],
    ]);
    expect(applyBaseline([...now].reverse(), old, 'old.json').findings.map((x) => [x.rule, x.previous?.rule])).toEqual([
      ['w', 'y'],
      ['keep', undefined],
      ['z', 'x'],
    ]);
    expect(r.summary.resolved).toEqual([]);
    expect(applyBaseline(now.slice(1), old, 'old.json').summary.resolved.map((x) => x.rule)).toEqual(['x']);
  });

  it('gates: new and worsened findings count, existing, improved and rule-only changes do not', () => {
    const old = report([cert('a', 'high', 'n1'), cert('b', 'high', 'n2'), cert('c', 'high', 'n3'), cert('d', 'high', 'n4')]);
    const now = [
      cert('a', 'high', 'n1'),
      cert('b2', 'critical', 'n2'),
      cert('c2', 'medium', 'n3'),
      cert('d2', 'high', 'n4'),
      cert('e', 'low', 'n5'),
    ];
    const r = applyBaseline(now, old, 'old.json');
    expect(r.findings.map((x) => [x.baseline, gates(x)])).toEqual([
      ['existing', false],
      ['changed', true],
      ['changed', false],
      ['changed', false],
      ['new', true],
    ]);
    expect(gates({ ...r.findings[1]!, waiver: { reason: 'r', owner: 'o', expires: '2027-01-01' } })).toBe(false);
  });

  it('diffs by subject: a rule change is one changed finding with its previous rule', () => {
    const d = diffReports(
      report([cert('expires-soon', 'high'), cert('expires-soon', 'high', 'gone')]),
      report([cert('expired', 'critical'), cert('expired', 'critical', 'fresh')]),
    );
    expect(d.new.map((x) => 'name' in x.resource && x.resource.name)).toEqual(['fresh']);
    expect(d.resolved.map((x) => 'name' in x.resource && x.resource.name)).toEqual(['gone']);
    expect(d.changed.map((x) => [x.previous.rule, x.rule, x.previous.severity, x.severity])).toEqual([
      ['expires-soon', 'expired', 'high', 'critical'],
    ]);
    expect(d.unchanged).toBe(0);
  });

  it('diffs two reports: new, resolved, changed severity, check status', () => {
    const a = report([f('pdb-blocking', 'a', 'high'), f('pdb-blocking', 'b')]);
    const b = report([f('pdb-blocking', 'a', 'critical'), f('pdb-blocking', 'c')], '2026-11-20T00:00:00.000Z');
    const d = diffReports(a, b);
    expect(d.new.map((x) => 'name' in x.resource && x.resource.name)).toEqual(['c']);
    expect(d.resolved.map((x) => 'name' in x.resource && x.resource.name)).toEqual(['b']);
    expect(d.changed.map((x) => [x.previous.severity, x.severity])).toEqual([['high', 'critical']]);
    expect(d.unchanged).toBe(0);
    expect(diffReports(a, report([])).checks).toEqual([{ id: 'pdb-blocking', before: 'fail', after: 'pass' }]);
  });
});
