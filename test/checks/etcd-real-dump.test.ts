/**
 * The etcd family on the real dump `fixtures/dumps/lab-1.26` (kube-apiserver 1.26.4, a healthy
 * 3-member etcd 3.4.23 with mTLS, no control-plane pods: its control plane ran as processes).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DumpSource } from '../../src/sources/dump.js';

describe('etcd family on the real dump lab-1.26', async () => {
  const source = await DumpSource.open(join(PACKAGE_ROOT, 'fixtures/dumps/lab-1.26'));
  const { report } = await scan({
    source,
    registry: new Registry(await loadBuiltinChecks()),
    config: EMPTY_CONFIG,
    only: ['etcd'],
    now: new Date('2026-11-23T07:00:18Z'),
    failOn: 'critical',
    options: { requestTimeoutMs: 30_000 },
  });
  await source.close();

  it('3 healthy voters: members and space pass; quorum lacks only the /readyz the dump does not hold', () => {
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toEqual({ 'etcd-alarms-space': 'pass', 'etcd-members': 'pass', 'etcd-quorum': 'incomplete', 'etcd-version': 'fail' });
    const q = report.checks.find((c) => c.id === 'etcd-quorum')!;
    expect(q.unknowns.map((u) => ({ resource: u.resource, input: u.input }))).toEqual([
      { resource: { file: 'health/readyz.txt' }, input: 'apiserver-readyz' },
    ]);
    expect(q.details).toMatchObject({
      source: 'etcdctl',
      clusterId: '1462627d7da48157',
      voters: 3,
      majority: 2,
      failureTolerance: 1,
      healthyVoters: 3,
      leader: 'etcd1',
    });
    expect(
      (q.details!.members as Array<{ name: string; idHex: string; health: string }>).map((m) => `${m.name} ${m.idHex} ${m.health}`),
    ).toEqual(['etcd3 21b659f77a8f2993 healthy', 'etcd1 930613c901db52d8 healthy', 'etcd2 c350a7f1758176be healthy']);
  });

  it('only finding: etcd 3.4.23 is older than 3.5.7-0, which kubeadm ships with 1.27 (the minor after the server)', () => {
    expect(report.findings.map((f) => ({ check: f.checkId, rule: f.rule, severity: f.severity, resource: f.resource }))).toEqual([
      { check: 'etcd-version', rule: 'older-than-kubeadm', severity: 'medium', resource: { kind: 'EtcdCluster', name: 'etcd' } },
    ]);
    expect(report.findings[0]!.message).toBe(
      'etcd 3.4.23 on 3 members: etcd1, etcd2, etcd3 — older than 3.5.7-0, which kubeadm ships with Kubernetes 1.27 (a 3.4 → 3.5 etcd upgrade).',
    );
    expect(report.findings[0]!.evidence).toMatchObject({
      version: '3.4.23',
      kubeadmEtcd: '3.5.7-0',
      targetVersion: '1.27',
      members: ['etcd1', 'etcd2', 'etcd3'].map((member) => ({ member, version: '3.4.23' })),
    });
  });
});
