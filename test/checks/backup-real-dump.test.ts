/**
 * The backup family on the real dump fixtures/dumps/lab-1.26 (kube-apiserver 1.26.4, seeded
 * with a Velero Schedule whose newest Completed Backup is 9 days old and an older
 * PartiallyFailed one, an `etcd-backup` CronJob with its Job, and a real snapshot file).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DumpSource } from '../../src/sources/dump.js';

const source = await DumpSource.open(join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26'));
const { report } = await scan({
  source,
  registry: new Registry(await loadBuiltinChecks()),
  config: EMPTY_CONFIG,
  only: ['backup'],
  now: new Date('2026-11-23T07:00:18Z'),
  failOn: 'critical',
  options: { requestTimeoutMs: 30_000 },
});
await source.close();
const check = (id: string) => report.checks.find((c) => c.id === id)!;

describe('backup family on the lab-1.26 dump', () => {
  it('reports exactly the stale schedule and the missing restore drill', () => {
    expect(report.findings.map((f) => ({ checkId: f.checkId, rule: f.rule, severity: f.severity, resource: f.resource }))).toEqual([
      {
        checkId: 'backup-velero-freshness',
        rule: 'stale-critical',
        severity: 'critical',
        resource: { apiVersion: 'velero.io/v1', kind: 'Schedule', namespace: 'velero', name: 'daily-full' },
      },
      {
        checkId: 'backup-restore-drills',
        rule: 'no-restore-drill',
        severity: 'medium',
        resource: { kind: 'BackupTool', namespace: 'velero', name: 'velero' },
      },
    ]);
  });

  it('gives each check its status', () => {
    expect(Object.fromEntries(report.checks.map((c) => [c.id, c.status]))).toEqual({
      'backup-coverage': 'pass',
      'backup-etcd-snapshots': 'pass',
      'backup-operator-freshness': 'not-applicable',
      'backup-restore-drills': 'fail',
      'backup-velero-freshness': 'fail',
      'backup-velero-health': 'pass',
    });
  });

  it('dates the schedule from its newest Completed backup, not from lastBackup or creation', () => {
    const f = report.findings.find((x) => x.checkId === 'backup-velero-freshness')!;
    expect(f.evidence).toMatchObject({
      lastSuccess: '2026-11-14T02:07:00Z',
      ageHours: 220.9,
      expectedIntervalHours: 24,
      limitHours: 24,
      schedule: '0 2 * * *',
      newestBackup: { name: 'daily-full-20261114020000', phase: 'Completed', started: '2026-11-14T02:00:00Z' },
      backups: 2,
    });
    expect(f.remediation).toContain('velero backup create --from-schedule daily-full -n velero --wait');
  });

  it('judges the PartiallyFailed backup as superseded by the newer Completed one', () => {
    expect(check('backup-velero-health').details).toEqual({
      schedules: [
        {
          namespace: 'velero',
          name: 'daily-full',
          schedule: '0 2 * * *',
          paused: false,
          phase: 'Enabled',
          latest: { name: 'daily-full-20261114020000', phase: 'Completed', errors: 0, warnings: 0 },
          phases: { Completed: 1, PartiallyFailed: 1 },
        },
      ],
      storageLocations: [
        { namespace: 'velero', name: 'default', phase: 'Available', lastValidationTime: '2026-11-23T06:57:43Z', default: true },
      ],
    });
  });

  it('finds the etcd-backup CronJob and the real snapshot file fresh, on a self-managed control plane', () => {
    expect(check('backup-etcd-snapshots').details).toEqual({
      controlPlane: { managed: false, provider: 'unknown', reason: 'control-plane nodes: lab-control-plane' },
      datastore: { kind: 'unknown', reason: 'no distribution signal' },
      series: [
        {
          subject: 'CronJob kube-system/etcd-backup',
          schedule: '0 */6 * * *',
          lastSuccess: '2026-11-23T06:53:00Z',
          ageHours: 0.1,
          expectedIntervalHours: 6,
          limitHours: 12,
          verdict: 'fresh',
        },
        {
          subject: '/var/backups/etcd',
          lastSuccess: '2026-11-23T07:00:18.629384Z',
          ageHours: 0,
          expectedIntervalHours: null,
          limitHours: 24,
          verdict: 'fresh',
        },
      ],
      files: [
        {
          path: '/var/backups/etcd/etcd-snapshot.db',
          sizeBytes: 2240544,
          modified: '2026-11-23T07:00:18.629384Z',
          ageHours: 0,
          totalKey: 1281,
          verdict: 'ok',
        },
      ],
    });
  });

  it('counts Velero and the etcd snapshots as mechanisms', () => {
    expect(check('backup-coverage').details).toMatchObject({
      mechanisms: [
        { tool: 'velero', objects: 3 },
        { tool: 'etcd-snapshot-cronjobs', objects: 1 },
        { tool: 'etcd-snapshot-jobs', objects: 1 },
        { tool: 'etcd-snapshot-files', objects: 1 },
      ],
      installedTools: [{ tool: 'velero', label: 'Velero', understood: true }],
      unreadable: [],
    });
  });
});
