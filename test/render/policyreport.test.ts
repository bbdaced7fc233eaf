/**
 * `--format policyreport`: wg-policy PolicyReport / ClusterPolicyReport objects. Exact counts
 * on the bundled sample, one namespaced report's exact results on a small synthetic report
 * (gate, waiver, baseline, a file subject, an error, a skip), and every object validated
 * against Kyverno's v1alpha2 CRD schemas (test/fixtures/policyreport, see its SOURCE).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { parseAllDocuments, visit } from 'yaml';
import { policyReports, protoTimestamp, renderPolicyReport, type PolicyReportObject } from '../../src/render/policyreport.js';
import type { CheckResult, Finding, Report } from '../../src/contract/report.js';
import { sampleReport } from './sample.js';
import { policyReportProblems } from './validators.js';

let sample: Report;
let sampleObjects: PolicyReportObject[];

beforeAll(async () => {
  sample = await sampleReport();
  sampleObjects = policyReports(sample);
});

const zero = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

function check(id: string, family: CheckResult['family'], status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult {
  return {
    id,
    family,
    title: `${id} title`,
    status,
    evaluated: 2,
    durationMs: 0,
    findings: zero,
    unknowns: [],
    origin: 'builtin',
    ...extra,
  };
}

function finding(
  checkId: string,
  rule: string,
  severity: Finding['severity'],
  resource: Finding['resource'],
  extra: Partial<Finding> = {},
): Finding {
  return {
    checkId,
    rule,
    severity,
    title: `${rule} title`,
    message: `${rule} message`,
    resource,
    evidence: {},
    remediation: '',
    references: [],
    fingerprint: `fp-${rule}`,
    ...extra,
  };
}

/** A small report with `--fail-on high`: a namespace `prod` with a blocking, a below-gate, a waived and a baseline finding. */
function syntheticReport(): Report {
  const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: 'prod', name: 'web' };
  return {
    apiVersion: 'kube-preflight/v1',
    kind: 'Report',
    metadata: {
      generatedAt: '2026-11-23T07:00:18.250Z',
      now: '2026-11-23T07:00:18Z',
      tool: { name: 'kube-preflight', version: '0.1.0', catalogVersion: 'test' },
      source: { type: 'dump', location: 'synthetic' },
      cluster: { name: 'lab' },
      failOn: 'high',
      warnings: [],
    },
    summary: {
      verdict: 'NO-GO',
      reason: 'synthetic',
      findings: { ...zero, waived: 1 },
      checks: { skipped: 0, error: 1, fail: 2, incomplete: 0, 'not-applicable': 1, pass: 1 },
      notAssessed: [],
    },
    checks: [
      check('pdb-blocking', 'pdb', 'fail'),
      check('certs-cluster-expiry', 'certs', 'fail', {
        unknowns: [
          { resource: { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'odd-tls' }, reason: 'tls.crt does not parse' },
        ],
      }),
      check('etcd-members', 'etcd', 'pass'),
      check('backup-operator-freshness', 'backup', 'not-applicable', { reason: 'no backup operator installed', evaluated: 0 }),
      check('etcd-quorum', 'etcd', 'error', { reason: 'input apiserver-readyz: forbidden', evaluated: 0 }),
    ],
    inputs: [],
    findings: [
      finding('pdb-blocking', 'max-unavailable-zero', 'critical', pdb, {
        evidence: { maxUnavailable: 0, pods: ['web-1', 'web-2'] },
        remediation: 'Set maxUnavailable: 1.',
      }),
      finding(
        'pdb-blocking',
        'min-available-all',
        'high',
        { ...pdb, name: 'api' },
        { waiver: { reason: 'migration', owner: 'ops', expires: '2026-12-31' } },
      ),
      finding(
        'certs-cluster-expiry',
        'expires-soon',
        'medium',
        { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web-tls', field: 'tls.crt#0' },
        { evidence: { daysLeft: 9.97, enabled: true } },
      ),
      finding(
        'certs-cluster-expiry',
        'expired',
        'critical',
        { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'old-tls' },
        { baseline: 'existing' },
      ),
      finding('certs-cluster-expiry', 'expires-soon', 'low', { file: 'pki/front-proxy-ca.crt' }),
    ],
  };
}

describe('policy reports of the sample', () => {
  it('is a ClusterPolicyReport, then a PolicyReport per namespace with findings, with exact summaries', () => {
    expect(sampleObjects.map((o) => [o.kind, o.metadata.namespace ?? null, o.summary])).toEqual([
      ['ClusterPolicyReport', null, { pass: 9, fail: 4, warn: 13, error: 7, skip: 5 }],
      ['PolicyReport', 'ci', { pass: 0, fail: 0, warn: 1, error: 0, skip: 0 }],
      ['PolicyReport', 'kube-system', { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 }],
      ['PolicyReport', 'monitoring', { pass: 0, fail: 0, warn: 1, error: 0, skip: 0 }],
      ['PolicyReport', 'prod', { pass: 0, fail: 2, warn: 1, error: 0, skip: 0 }],
      ['PolicyReport', 'staging', { pass: 0, fail: 0, warn: 2, error: 0, skip: 0 }],
      ['PolicyReport', 'velero', { pass: 0, fail: 1, warn: 1, error: 0, skip: 0 }],
    ]);
    for (const o of sampleObjects) {
      expect(o.apiVersion).toBe('wgpolicyk8s.io/v1alpha2');
      expect(o.metadata).toEqual({
        name: 'kube-preflight',
        ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
        labels: { 'app.kubernetes.io/managed-by': 'kube-preflight' },
      });
    }
  });

  it('has one result per finding (fail exactly for the 8 blocking ones) and per pass, error and skip check', () => {
    const all = sampleObjects.flatMap((o) => o.results);
    const counts: Record<string, number> = {};
    for (const r of all) counts[`${r.result}/${r.severity ?? '-'}`] = (counts[`${r.result}/${r.severity ?? '-'}`] ?? 0) + 1;
    expect(counts).toEqual({
      'fail/critical': 8,
      'warn/high': 4,
      'warn/medium': 9,
      'warn/low': 4,
      'warn/info': 2,
      'pass/-': 9,
      'error/-': 7,
      'skip/-': 5,
    });
    expect(sample.summary.findings).toEqual({ critical: 8, high: 4, medium: 9, low: 4, info: 2, waived: 0 });
    // Every finding once, by fingerprint; the error results are exactly the checks not fully assessed.
    expect(
      all
        .filter((r) => r.rule !== undefined)
        .map((r) => r.properties.fingerprint)
        .sort(),
    ).toEqual(sample.findings.map((f) => f.fingerprint).sort());
    expect(
      all
        .filter((r) => r.result === 'error')
        .map((r) => r.policy)
        .sort(),
    ).toEqual(sample.summary.notAssessed.map((n) => n.checkId).sort());
    expect(all.filter((r) => r.result === 'pass').map((r) => r.policy)).toEqual(
      sample.checks.filter((c) => c.status === 'pass').map((c) => c.id),
    );
    for (const r of all) {
      expect(r.source).toBe('kube-preflight');
      expect(r.timestamp).toEqual({ seconds: Date.parse('2026-11-23T07:00:18Z') / 1000, nanos: 0 });
      expect(r.category).toBe(sample.checks.find((c) => c.id === r.policy)!.family);
    }
  });

  it('names subjects that are not API objects in properties.subject, and objects in resources', () => {
    const cluster = sampleObjects[0]!.results;
    const etcd = cluster.find((r) => r.policy === 'etcd-version')!;
    expect(etcd.resources).toBeUndefined();
    expect(etcd.properties.subject).toBe('EtcdCluster etcd');
    const kubeSystem = sampleObjects.find((o) => o.metadata.namespace === 'kube-system')!.results[0]!;
    expect(kubeSystem.resources).toEqual([
      { apiVersion: 'storage.k8s.io/v1beta1', kind: 'CSIStorageCapacity', namespace: 'kube-system', name: 'lab-capacity-zone-a' },
    ]);
    expect([kubeSystem.policy, kubeSystem.rule, kubeSystem.properties.subject, kubeSystem.properties.field]).toEqual([
      'apis-removed',
      'removed-api',
      undefined,
      'v1beta1',
    ]);
  });

  it('every object passes the CRD schemas, and YAML 1.1 reads back the same objects with string properties', () => {
    const text = renderPolicyReport(sample);
    expect(text.startsWith('---\napiVersion: wgpolicyk8s.io/v1alpha2\nkind: ClusterPolicyReport\n')).toBe(true);
    // No anchors or aliases (the shared timestamp is written out in every result).
    let aliases = 0;
    for (const doc of parseAllDocuments(text))
      visit(doc, {
        Alias: () => {
          aliases++;
        },
        Node: (_, n) => {
          if (n.anchor) aliases++;
        },
      });
    expect(aliases).toBe(0);
    expect(policyReportProblems(text)).toEqual([]);
    for (const version of ['1.1', '1.2'] as const) {
      expect(parseAllDocuments(text, { version }).map((d) => d.toJS() as unknown)).toEqual(sampleObjects);
    }
  });
});

describe('the schema check is not vacuous', () => {
  it('rejects a severity outside the enum, a field the CRD does not have, and a namespaced ClusterPolicyReport', () => {
    const [cluster, prod] = [sampleObjects[0]!, sampleObjects.find((o) => o.metadata.namespace === 'prod')!];
    const bad = [
      { ...prod, results: [{ ...prod.results[0]!, severity: 'urgent' }] },
      { ...prod, results: [{ ...prod.results[0]!, ruleId: 'x' }] },
      { ...cluster, metadata: { ...cluster.metadata, namespace: 'prod' } },
      { ...prod, results: [{ ...prod.results[0]!, properties: { daysLeft: 3 } }] },
    ];
    const text = bad.map((o) => `---\n${JSON.stringify(o)}\n`).join('');
    expect(policyReportProblems(text)).toEqual([
      'document 1: /results/0/severity: must be equal to one of the allowed values',
      'document 2: /results/0: must NOT have additional properties',
      'document 3: /metadata/namespace: ClusterPolicyReport takes no namespace',
      'document 4: /results/0/properties/daysLeft: must be string',
    ]);
  });
});

describe('policy reports of a synthetic report (--fail-on high)', () => {
  const report = syntheticReport();
  const objects = policyReports(report);
  const ts = { seconds: 1795417218, nanos: 250_000_000 };

  it('takes the timestamp from generatedAt, nanoseconds included', () => {
    expect(protoTimestamp('2026-11-23T07:00:18.250Z')).toEqual(ts);
    expect(protoTimestamp('1969-12-31T23:59:59.500Z')).toEqual({ seconds: -1, nanos: 500_000_000 });
  });

  it('puts the findings of namespace prod in its PolicyReport: fail when blocking, warn with the reason otherwise', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}`)).toEqual(['ClusterPolicyReport/', 'PolicyReport/prod']);
    const prod = objects[1]!;
    expect(prod.summary).toEqual({ pass: 0, fail: 1, warn: 3, error: 0, skip: 0 });
    const common = { source: 'kube-preflight', timestamp: ts };
    expect(prod.results).toEqual([
      {
        policy: 'pdb-blocking',
        rule: 'max-unavailable-zero',
        result: 'fail',
        scored: true,
        severity: 'critical',
        category: 'pdb',
        ...common,
        message: 'max-unavailable-zero message',
        resources: [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: 'prod', name: 'web' }],
        properties: {
          fingerprint: 'fp-max-unavailable-zero',
          title: 'max-unavailable-zero title',
          gate: 'blocks the verdict: at or above --fail-on high',
          remediation: 'Set maxUnavailable: 1.',
          'evidence.maxUnavailable': '0',
          'evidence.pods': 'web-1, web-2',
        },
      },
      {
        policy: 'pdb-blocking',
        rule: 'min-available-all',
        result: 'warn',
        scored: false,
        severity: 'high',
        category: 'pdb',
        ...common,
        message: 'min-available-all message',
        resources: [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: 'prod', name: 'api' }],
        properties: {
          fingerprint: 'fp-min-available-all',
          title: 'min-available-all title',
          gate: 'does not gate: waived until 2026-12-31 by ops: migration',
          'waiver.reason': 'migration',
          'waiver.owner': 'ops',
          'waiver.expires': '2026-12-31',
        },
      },
      {
        policy: 'certs-cluster-expiry',
        rule: 'expires-soon',
        result: 'warn',
        scored: false,
        severity: 'medium',
        category: 'certs',
        ...common,
        message: 'expires-soon message',
        resources: [{ apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web-tls' }],
        properties: {
          fingerprint: 'fp-expires-soon',
          title: 'expires-soon title',
          gate: 'does not gate: below --fail-on high',
          field: 'tls.crt#0',
          'evidence.daysLeft': '9.97',
          'evidence.enabled': 'true',
        },
      },
      {
        policy: 'certs-cluster-expiry',
        rule: 'expired',
        result: 'warn',
        scored: false,
        severity: 'critical',
        category: 'certs',
        ...common,
        message: 'expired message',
        resources: [{ apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'old-tls' }],
        properties: {
          fingerprint: 'fp-expired',
          title: 'expired title',
          gate: 'does not gate: already in the baseline',
          baseline: 'existing',
        },
      },
    ]);
  });

  it('puts a file finding and the check results in the ClusterPolicyReport: an unknown is an error, never a pass', () => {
    const cluster = objects[0]!;
    expect(cluster.summary).toEqual({ pass: 1, fail: 0, warn: 1, error: 2, skip: 1 });
    expect(cluster.results.map((r) => [r.policy, r.rule ?? null, r.result, r.message, r.resources ?? null, r.properties])).toEqual([
      [
        'certs-cluster-expiry',
        'expires-soon',
        'warn',
        'expires-soon message',
        null,
        {
          fingerprint: 'fp-expires-soon',
          title: 'expires-soon title',
          gate: 'does not gate: below --fail-on high',
          subject: 'pki/front-proxy-ca.crt',
        },
      ],
      [
        'certs-cluster-expiry',
        null,
        'error',
        '1 subject not assessed',
        [{ apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'odd-tls' }],
        {
          title: 'certs-cluster-expiry title',
          status: 'fail',
          evaluated: '2',
          unknowns: '1',
          notAssessed: 'Secret prod/odd-tls: tls.crt does not parse',
        },
      ],
      [
        'etcd-members',
        null,
        'pass',
        'etcd-members title: passed, 2 subjects evaluated.',
        null,
        { title: 'etcd-members title', status: 'pass', evaluated: '2' },
      ],
      [
        'backup-operator-freshness',
        null,
        'skip',
        'not-applicable: no backup operator installed',
        null,
        { title: 'backup-operator-freshness title', status: 'not-applicable', evaluated: '0' },
      ],
      [
        'etcd-quorum',
        null,
        'error',
        'input apiserver-readyz: forbidden',
        null,
        { title: 'etcd-quorum title', status: 'error', evaluated: '0', unknowns: '0' },
      ],
    ]);
    expect(policyReportProblems(renderPolicyReport(report))).toEqual([]);
  });

  it('keeps a finding whose check the report does not list (a hand-edited report), without a category', () => {
    const orphan = { ...report, checks: report.checks.filter((c) => c.id !== 'pdb-blocking') };
    const prod = policyReports(orphan)[1]!;
    expect(prod.results.map((r) => [r.policy, r.rule, r.result, r.category ?? null])).toEqual([
      ['certs-cluster-expiry', 'expires-soon', 'warn', 'certs'],
      ['certs-cluster-expiry', 'expired', 'warn', 'certs'],
      ['pdb-blocking', 'max-unavailable-zero', 'fail', null],
      ['pdb-blocking', 'min-available-all', 'warn', null],
    ]);
  });

  it('keeps strings YAML 1.1 would read as other types quoted', () => {
    const text = renderPolicyReport(report);
    expect(text).toContain('waiver.expires: "2026-12-31"');
    expect(text).toContain('evidence.enabled: "true"');
    expect(text).toContain('evidence.maxUnavailable: "0"');
  });
});
