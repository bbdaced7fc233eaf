/**
 * The fleet summary (src/fleet/summary.ts) over reports of real scans of fixture dumps:
 * lab-1.26 (NO-GO, twice under two names), a k3s dump of nodes only (INCOMPLETE), a GO and a
 * REPORT-ONLY scan, and clusters without a report. Every document is checked against
 * schema/fleet-v1.schema.json.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/contract/report.js';
import type { FleetEntry, FleetSummary } from '../../src/fleet/model.js';
import { sanitizeClusterName, uniqueClusterNames } from '../../src/fleet/names.js';
import { fleetSchemaErrors } from '../../src/fleet/schema.js';
import { buildFleetSummary, FLEET_CERTIFICATES } from '../../src/fleet/summary.js';
import { K3S, LAB, NOW, scanDump, WITHIN_POLICY } from './reports.js';

let lab: Report;
let k3s: Report;
let go: Report;
let reportOnly: Report;

beforeAll(async () => {
  lab = await scanDump(LAB);
  k3s = await scanDump(K3S);
  go = await scanDump(WITHIN_POLICY, { only: ['versions-kubelet-skew'] });
  reportOnly = await scanDump(WITHIN_POLICY, { only: ['versions-kubelet-skew'], failOn: 'none' });
}, 60_000);

const at = new Date(NOW);

function summary(entries: FleetEntry[]): FleetSummary {
  const s = buildFleetSummary(entries, at);
  expect(fleetSchemaErrors(s)).toEqual([]);
  return s;
}

describe('fleet verdict', () => {
  it('is the worst verdict; a cluster not scanned counts as INCOMPLETE', () => {
    expect(go.summary.verdict).toBe('GO');
    expect(reportOnly.summary.verdict).toBe('REPORT-ONLY');
    expect(k3s.summary.verdict).toBe('INCOMPLETE');
    expect(lab.summary.verdict).toBe('NO-GO');
    const gone: FleetEntry = {
      cluster: 'gone',
      source: 'live, context gone (kc)',
      error: 'cannot reach the API server https://127.0.0.1:9 (context "gone"): connection to 127.0.0.1:9 refused',
    };
    const v = (entries: FleetEntry[]) => summary(entries).summary;
    expect(v([{ cluster: 'a', source: 's', report: go }])).toMatchObject({ verdict: 'GO', reason: '1 cluster: 1 GO (a).' });
    expect(
      v([
        { cluster: 'a', source: 's', report: go },
        { cluster: 'b', source: 's', report: reportOnly },
      ]).verdict,
    ).toBe('REPORT-ONLY');
    expect(v([{ cluster: 'a', source: 's', report: go }, gone])).toEqual({
      verdict: 'INCOMPLETE',
      reason: '2 clusters: 1 not scanned (gone); 1 GO (a); a cluster not scanned counts as INCOMPLETE.',
      clusters: 2,
      counts: { GO: 1, 'NO-GO': 0, INCOMPLETE: 0, 'REPORT-ONLY': 0, 'not scanned': 1 },
    });
    expect(v([{ cluster: 'k', source: 's', report: k3s }, { cluster: 'l', source: 's', report: lab }, gone])).toMatchObject({
      verdict: 'NO-GO',
      reason: '3 clusters: 1 NO-GO (l); 1 not scanned (gone); 1 INCOMPLETE (k).',
    });
    expect(v([])).toMatchObject({ verdict: 'INCOMPLETE', clusters: 0, reason: 'No cluster: nothing was assessed.' });
  });

  it('names five clusters per verdict at most', () => {
    const entries = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'].map((cluster) => ({ cluster, source: 's', report: go }));
    expect(summary(entries).summary.reason).toBe('7 clusters: 7 GO (c1, c2, c3, c4, c5, +2 more).');
  });

  it('counts clusters with a thousands separator, as the report counts checks', () => {
    const entries = Array.from({ length: 1200 }, (_, i) => ({ cluster: `c${1000 + i}`, source: 's', error: 'connection refused' }));
    expect(summary(entries).summary.reason).toBe(
      '1,200 clusters: 1,200 not scanned (c1000, c1001, c1002, c1003, c1004, +1,195 more); a cluster not scanned counts as INCOMPLETE.',
    );
  });

  it('refuses two clusters of one name', () => {
    expect(() =>
      buildFleetSummary(
        [
          { cluster: 'a', source: 's', report: go },
          { cluster: 'a', source: 't', error: 'x' },
        ],
        at,
      ),
    ).toThrow('fleet: two clusters are named "a"');
  });
});

describe('fleet contents', () => {
  let s: FleetSummary;
  beforeAll(() => {
    s = summary([
      { cluster: 'prod-b', source: 'dump b', report: lab },
      { cluster: 'prod-a', source: 'dump a', report: lab },
      { cluster: 'edge', source: 'dump k3s', report: k3s },
      { cluster: 'gone', source: 'live, context gone (kc)', error: 'connection to 127.0.0.1:9 refused' },
    ]);
  });

  it('lists every cluster by name with its verdict, reason and counts', () => {
    expect(s.clusters.map((c) => [c.cluster, c.status, c.verdict, c.blockingProblems])).toEqual([
      ['edge', 'scanned', 'INCOMPLETE', 0],
      ['gone', 'not scanned', undefined, undefined],
      ['prod-a', 'scanned', 'NO-GO', 4],
      ['prod-b', 'scanned', 'NO-GO', 4],
    ]);
    expect(s.clusters[2]).toEqual({
      cluster: 'prod-a',
      source: 'dump a',
      status: 'scanned',
      verdict: 'NO-GO',
      reason: lab.summary.reason,
      now: '2026-11-23T07:00:18.000Z',
      findings: { critical: 8, high: 4, medium: 9, low: 4, info: 2, waived: 0 },
      blockingProblems: 4,
    });
    expect(s.notScanned).toEqual([{ cluster: 'gone', source: 'live, context gone (kc)', reason: 'connection to 127.0.0.1:9 refused' }]);
  });

  it('groups problems by root check and title over the clusters, blocking and worst first', () => {
    const unwaived = (r: Report) => (r.problems ?? []).filter((p) => !p.waived).length;
    expect(s.problems).toHaveLength(unwaived(lab) + unwaived(k3s));
    expect(s.problems[0]).toEqual({
      checkId: 'pdb-blocking',
      family: 'pdb',
      title: 'PDB prod/web-pdb-blocks-drain (maxUnavailable: 0) blocks draining lab-worker-1, -2, -3',
      severity: 'critical',
      blocking: true,
      fix: `kubectl patch pdb web-pdb-blocks-drain -n prod --type merge -p '{"spec":{"maxUnavailable":1}}'`,
      clusters: ['prod-a', 'prod-b'],
      findings: 8,
    });
    expect(s.problems.filter((p) => p.blocking).map((p) => [p.checkId, p.clusters.length])).toEqual([
      ['pdb-blocking', 2],
      ['apis-removed', 2],
      ['pdb-blocking', 2],
      ['backup-velero-freshness', 2],
    ]);
    const edge = s.problems.filter((p) => p.clusters.includes('edge'));
    expect(edge.map((p) => [p.checkId, p.severity, p.clusters])).toEqual(
      (k3s.problems ?? []).map((p) => [k3s.findings.find((f) => f.fingerprint === p.findings[0])!.checkId, p.severity, ['edge']]),
    );
    expect(edge.find((p) => p.severity === 'high')).toMatchObject({ checkId: 'versions-kubelet-skew', blocking: false });
  });

  it('gives versions and skew per scanned cluster', () => {
    expect(s.versions.map((v) => v.cluster)).toEqual(['edge', 'prod-a', 'prod-b']);
    expect(s.versions[0]).toEqual({
      cluster: 'edge',
      gitVersion: 'v1.30.2+k3s1',
      distribution: 'k3s',
      assumedTargetVersion: '1.31',
      kubeletVersions: ['v1.26.15+k3s1', 'v1.27.16+k3s1', 'v1.30.2+k3s1'],
      skew: [
        { checkId: 'versions-control-plane-skew', status: 'error', findings: 0 },
        { checkId: 'versions-kube-proxy-skew', status: 'incomplete', findings: 0 },
        { checkId: 'versions-kubelet-skew', status: 'fail', findings: 3 },
      ],
    });
    expect(s.versions[1]).toMatchObject({
      gitVersion: 'v1.26.4',
      distribution: 'kubeadm',
      assumedTargetVersion: '1.27',
      kubeletVersions: ['v1.23.17', 'v1.24.13', 'v1.25.9', 'v1.26.4'],
    });
  });

  it('lists the certificates expiring soonest anywhere, from the certs checks timelines', () => {
    expect(s.certificates).toHaveLength(FLEET_CERTIFICATES);
    expect(s.certificates.slice(0, 3)).toEqual([
      {
        cluster: 'prod-a',
        checkId: 'certs-cluster-expiry',
        name: 'web.example.com',
        where: 'Secret prod/web-tls [tls.crt#0]',
        notAfter: '2026-12-03T06:51:50.000Z',
        daysLeft: 9,
        isCA: false,
      },
      {
        cluster: 'prod-b',
        checkId: 'certs-cluster-expiry',
        name: 'web.example.com',
        where: 'Secret prod/web-tls [tls.crt#0]',
        notAfter: '2026-12-03T06:51:50.000Z',
        daysLeft: 9,
        isCA: false,
      },
      {
        cluster: 'prod-a',
        checkId: 'certs-pki-expiry',
        name: 'apiserver',
        where: 'pki/apiserver.crt',
        notAfter: '2027-11-23T06:50:34.000Z',
        daysLeft: 364,
        isCA: false,
      },
    ]);
    const perCluster = lab.checks
      .filter((c) => c.family === 'certs')
      .flatMap((c) => (Array.isArray(c.details?.certificates) ? (c.details.certificates as unknown[]) : []));
    expect(s.certificatesTotal).toBe(2 * perCluster.length);
    const days = s.certificates.map((c) => c.daysLeft);
    expect(days).toEqual([...days].sort((a, b) => a - b));
  });

  it('is a function of the entries: their order does not matter', () => {
    const again = buildFleetSummary(
      [
        { cluster: 'gone', source: 'live, context gone (kc)', error: 'connection to 127.0.0.1:9 refused' },
        { cluster: 'edge', source: 'dump k3s', report: k3s },
        { cluster: 'prod-a', source: 'dump a', report: lab },
        { cluster: 'prod-b', source: 'dump b', report: lab },
      ],
      at,
    );
    expect(again).toEqual(s);
  });

  it('leaves waived problems out', () => {
    const waived: Report = { ...lab, problems: lab.problems!.map((p) => ({ ...p, waived: true as const })) };
    expect(summary([{ cluster: 'w', source: 's', report: waived }]).problems).toEqual([]);
  });
});

describe('the schema', () => {
  it('rejects a summary that breaks the contract', () => {
    const s = buildFleetSummary(
      [
        { cluster: 'a', source: 's', report: go },
        { cluster: 'b', source: 's', error: 'x' },
      ],
      at,
    );
    expect(fleetSchemaErrors({ ...s, kind: 'Report' })).toEqual(['/kind: must be equal to constant']);
    const scannedWithoutVerdict = { ...s, clusters: [{ ...s.clusters[0], verdict: undefined }, s.clusters[1]] };
    expect(fleetSchemaErrors(JSON.parse(JSON.stringify(scannedWithoutVerdict)))).toContain(
      "/clusters/0: must have required property 'verdict'",
    );
    const notScannedWithVerdict = { ...s, clusters: [s.clusters[0], { ...s.clusters[1], verdict: 'GO' }] };
    expect(fleetSchemaErrors(notScannedWithVerdict)).toContain('/clusters/1: must NOT be valid');
  });
});

describe('cluster names', () => {
  it('are folder names', () => {
    expect(sanitizeClusterName('arn:aws:eks:eu-west-1:123456789012:cluster/prod')).toBe('arn-aws-eks-eu-west-1-123456789012-cluster-prod');
    expect(sanitizeClusterName('../../etc')).toBe('etc');
    expect(sanitizeClusterName('gke_project_europe-west1_prod')).toBe('gke_project_europe-west1_prod');
    expect(sanitizeClusterName('...')).toBe('cluster');
    expect(sanitizeClusterName('x'.repeat(150))).toHaveLength(100);
  });

  it('are unique, also on a case-insensitive file system', () => {
    expect(uniqueClusterNames(['default', 'default', 'Default', 'a/b', 'a:b', 'default-2'])).toEqual([
      'default',
      'default-2',
      'Default-3',
      'a-b',
      'a-b-2',
      'default-2-2',
    ]);
    expect(uniqueClusterNames(['fleet.json', 'Fleet.html', 'prod'], ['fleet.json', 'fleet.html'])).toEqual([
      'fleet.json-2',
      'Fleet.html-2',
      'prod',
    ]);
  });
});
