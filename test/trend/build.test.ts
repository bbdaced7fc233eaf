/**
 * The trend's rules on small hand-made series: opening, closing only what a run judged,
 * following a finding whose rule changes, a finding that comes back, time to fix and its
 * median, the order of runs, and which unknowns keep a finding open.
 */
import { describe, expect, it } from 'vitest';
import type { CheckStatus, Severity } from '../../src/contract/check.js';
import type { ResourceRef } from '../../src/contract/resource.js';
import { fingerprint } from '../../src/k8s/fingerprint.js';
import { buildTrend, covers, median, orderRuns, type RunDigest } from '../../src/trend/build.js';
import { trendSchemaErrors } from '../../src/trend/schema.js';

const WEB: ResourceRef = { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web-tls', field: 'tls.crt#0' };
const PDB: ResourceRef = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: 'prod', name: 'web' };
const APISERVER: ResourceRef = { file: 'pki/apiserver.crt' };

function finding(checkId: string, rule: string, severity: Severity, resource: ResourceRef, waived = false) {
  return { fingerprint: fingerprint(checkId, rule, resource), checkId, rule, severity, title: `${checkId} ${rule}`, resource, waived };
}

function run(
  file: string,
  now: string,
  findings: RunDigest['findings'],
  checks: Record<string, { status?: CheckStatus; unknowns?: ResourceRef[] }> = {},
): RunDigest {
  const ids = new Set([...findings.map((f) => f.checkId), 'certs-cluster-expiry', 'pdb-blocking', 'certs-pki-expiry']);
  return {
    file,
    generatedAt: now,
    now,
    verdict: findings.some((f) => f.severity === 'critical') ? 'NO-GO' : 'GO',
    catalogVersion: 'c1',
    cluster: { uid: 'u1', server: 'https://lab:6443' },
    findings,
    checks: new Map(
      [...ids].map((id) => [
        id,
        { status: checks[id]?.status ?? (findings.some((f) => f.checkId === id) ? 'fail' : 'pass'), unknowns: checks[id]?.unknowns ?? [] },
      ]),
    ),
    certificates: null,
    clusterAdminCount: null,
  };
}

const soon = finding('certs-cluster-expiry', 'expires-soon', 'high', WEB);
const expired = finding('certs-cluster-expiry', 'expired', 'critical', WEB);
const pdb = finding('pdb-blocking', 'max-unavailable-zero', 'critical', PDB);
const pki = finding('certs-pki-expiry', 'expires-soon', 'high', APISERVER);

describe('buildTrend', () => {
  it('opens, follows a rule change, and closes with the days from first seen', () => {
    const t = buildTrend(
      [
        run('a.json', '2026-11-01T00:00:00Z', [soon, pdb]),
        run('b.json', '2026-11-08T00:00:00Z', [expired, pdb, pki]),
        run('c.json', '2026-11-11T12:00:00Z', [pki]),
        run('d.json', '2026-11-20T00:00:00Z', []),
      ],
      [],
      new Date('2026-11-21T00:00:00Z'),
    );
    expect(trendSchemaErrors(t)).toEqual([]);
    expect(t.runs.map((r) => [r.opened, r.closed, r.changed, r.open, r.notAssessed])).toEqual([
      [2, 0, 0, 2, 0],
      [1, 0, 1, 3, 0],
      [0, 2, 0, 1, 0],
      [0, 1, 0, 0, 0],
    ]);
    // The certificate that went from expires-soon to expired is one finding, closed once.
    const cert = t.findings.find((f) => f.checkId === 'certs-cluster-expiry')!;
    expect(cert).toMatchObject({
      id: soon.fingerprint,
      fingerprint: expired.fingerprint,
      rule: 'expired',
      severity: 'critical',
      state: 'closed',
      firstRun: 0,
      lastRun: 1,
      closedRun: 2,
      closedAt: '2026-11-11T12:00:00Z',
      daysToFix: 10.5,
    });
    expect(t.findings.map((f) => [f.checkId, f.daysToFix])).toEqual([
      ['certs-cluster-expiry', 10.5],
      ['pdb-blocking', 10.5],
      ['certs-pki-expiry', 12],
    ]);
    expect(t.summary).toMatchObject({
      runs: 4,
      opened: 3,
      closed: 3,
      open: 0,
      medianDaysToFix: 10.5,
      verdict: 'GO',
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-20T00:00:00Z',
    });
  });

  it('keeps open what a run could not judge, and closes it in the first run that could', () => {
    const t = buildTrend(
      [
        run('a.json', '2026-11-01T00:00:00Z', [pdb, soon, pki]),
        // pdb-blocking not run, certs-cluster-expiry could not read Secrets, certs-pki-expiry in error.
        run('b.json', '2026-11-02T00:00:00Z', [], {
          'pdb-blocking': { status: 'skipped' },
          'certs-cluster-expiry': { status: 'incomplete', unknowns: [{ apiVersion: 'v1', kind: 'Secret', name: '*' }] },
          'certs-pki-expiry': { status: 'error' },
        }),
        run('c.json', '2026-11-04T00:00:00Z', [pki], { 'pdb-blocking': { status: 'pass' } }),
      ],
      [],
    );
    expect(t.runs.map((r) => [r.opened, r.closed, r.open, r.notAssessed])).toEqual([
      [3, 0, 3, 0],
      [0, 0, 3, 3],
      [0, 2, 1, 0],
    ]);
    expect(t.runs[1]!.findings).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0, waived: 0 });
    const open = t.findings.filter((f) => f.state === 'open');
    expect(open.map((f) => [f.checkId, f.firstRun, f.lastRun])).toEqual([['certs-pki-expiry', 0, 2]]);
    expect(t.findings.filter((f) => f.state === 'closed').map((f) => [f.checkId, f.closedRun, f.daysToFix])).toEqual([
      ['pdb-blocking', 2, 3],
      ['certs-cluster-expiry', 2, 3],
    ]);
  });

  it('names why an open finding absent from the last run is still open', () => {
    const t = buildTrend(
      [run('a.json', '2026-11-01T00:00:00Z', [pdb]), run('b.json', '2026-11-02T00:00:00Z', [], { 'pdb-blocking': { status: 'error' } })],
      [],
    );
    expect(t.findings).toEqual([expect.objectContaining({ state: 'open', notAssessed: 'pdb-blocking is error', lastRun: 0 })]);
    expect(trendSchemaErrors(t)).toEqual([]);
  });

  it('a finding that comes back after a fix opens again, with its own time to fix', () => {
    const t = buildTrend(
      [
        run('a.json', '2026-11-01T00:00:00Z', [pdb]),
        run('b.json', '2026-11-03T00:00:00Z', []),
        run('c.json', '2026-11-05T00:00:00Z', [pdb]),
        run('d.json', '2026-11-06T00:00:00Z', []),
      ],
      [],
    );
    expect(t.runs.map((r) => [r.opened, r.closed])).toEqual([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    expect(t.findings.map((f) => [f.firstRun, f.closedRun, f.daysToFix])).toEqual([
      [0, 1, 2],
      [2, 3, 1],
    ]);
    expect(t.summary.medianDaysToFix).toBe(1.5);
  });

  it('counts waived findings and warns when the check catalog changes', () => {
    const waived = { ...pdb, waived: true };
    const b = { ...run('b.json', '2026-11-02T00:00:00Z', [waived]), catalogVersion: 'c2' };
    const t = buildTrend([run('a.json', '2026-11-01T00:00:00Z', [pdb]), b], ['given warning']);
    expect(t.runs[1]!.findings).toEqual({ critical: 1, high: 0, medium: 0, low: 0, info: 0, waived: 1 });
    expect(t.findings[0]).toMatchObject({ waived: true, state: 'open' });
    expect(t.metadata.warnings).toEqual([
      'given warning',
      'check catalog changed between a.json (c1) and b.json (c2): findings of changed rules may open or close with it',
    ]);
  });
});

describe('orderRuns', () => {
  it('orders by clock, then generation time, then file', () => {
    const a = { ...run('z.json', '2026-11-02T00:00:00Z', []), generatedAt: '2026-11-01T00:00:00Z' };
    const b = { ...run('y.json', '2026-11-01T00:00:00Z', []), generatedAt: '2026-11-09T00:00:00Z' };
    const c = { ...run('x.json', '2026-11-01T00:00:00Z', []), generatedAt: '2026-11-03T00:00:00Z' };
    const d = { ...run('w.json', '2026-11-01T00:00:00Z', []), generatedAt: '2026-11-03T00:00:00Z' };
    expect(orderRuns([a, b, c, d]).map((r) => r.file)).toEqual(['w.json', 'x.json', 'y.json', 'z.json']);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([30, 1, 4])).toBe(4);
    expect(median([14, 21])).toBe(17.5);
  });
});

describe('covers', () => {
  it('matches an unknown subject to the findings it leaves unjudged', () => {
    expect(covers({ apiVersion: 'v1', kind: 'Secret', name: '*' }, WEB)).toBe(true);
    expect(covers({ apiVersion: 'v1', kind: 'Secret', namespace: 'dev', name: '*' }, WEB)).toBe(false);
    expect(covers({ apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web-tls' }, WEB)).toBe(true);
    expect(covers({ apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web-tls', field: 'tls.crt#1' }, WEB)).toBe(false);
    expect(covers({ apiVersion: 'apps/v1', kind: 'Secret', name: '*' }, WEB)).toBe(false);
    expect(covers({ kind: 'Input', name: 'tls-secrets' }, WEB)).toBe(true);
    expect(covers({ file: 'tls/apiserver-serving.pem' }, WEB)).toBe(false);
    expect(covers({ file: 'pki' }, APISERVER)).toBe(true);
    expect(covers({ file: 'pki/apiserver.crt' }, APISERVER)).toBe(true);
    expect(covers({ file: 'pki/apiserver.crt' }, { file: 'pki/apiserver.crt.old' })).toBe(false);
    expect(covers({ kind: 'PodDisruptionBudget', name: '*' }, APISERVER)).toBe(false);
  });
});
