/**
 * Inputs of the backup family: recognising etcd snapshot jobs, reading
 * backups/etcd-snapshots.json, and reading a snapshot folder (--etcd-snapshot-dir) with and
 * without the etcd tools.
 */
import { copyFile, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DumpSource } from '../../src/sources/dump.js';
import { InputError } from '../../src/sources/input-def.js';
import type { KubeObject } from '../../src/k8s/objects.js';
import { etcdBackupCronJobsInput, etcdBackupJobsInput, etcdSnapshotSignal } from '../../src/sources/inputs/backup/etcd-jobs.js';
import type { EtcdSnapshotFile } from '../../src/contract/values/backup.js';
import { etcdSnapshotFilesInput, parseSnapshotsJson, readSnapshotDir } from '../../src/sources/inputs/backup/etcd-snapshot-files.js';
import { k3sEtcdSnapshotsInput } from '../../src/sources/inputs/backup/k3s-snapshots.js';
import { backupOperatorRunsInput } from '../../src/sources/inputs/backup/operators.js';
import { findSnapshotStatusRunner } from '../../src/sources/inputs/backup/snapshot-status-tool.js';
import {
  veleroBackupsInput,
  veleroRestoresInput,
  veleroSchedulesInput,
  veleroStorageLocationsInput,
} from '../../src/sources/inputs/backup/velero.js';
import type { LiveContext } from '../../src/sources/live-context.js';

const runner = await findSnapshotStatusRunner();

const podSpec = (command: string[], image = 'registry.k8s.io/etcd:3.5.15-0', args?: string[]) => ({
  containers: [{ name: 'c', image, command, ...(args ? { args } : {}) }],
});

describe('etcdSnapshotSignal', () => {
  it.each([
    [
      'etcdctl snapshot save in a shell',
      'nightly',
      podSpec(['/bin/sh', '-c', 'etcdctl --endpoints=https://127.0.0.1:2379 snapshot save /b/x.db']),
      'command',
    ],
    [
      'etcdctl split over command and args',
      'nightly',
      podSpec(['etcdctl'], 'bitnami/etcd:3.5', ['--endpoints=https://127.0.0.1:2379', 'snapshot', 'save', '/b/x.db']),
      'command',
    ],
    ['etcdutl', 'verify', podSpec(['etcdutl', 'snapshot', 'status', '/b/x.db']), 'command'],
    ['etcd image in a backup job', 'cluster-backup', podSpec(['/scripts/run.sh']), 'image-and-name'],
    ['name alone', 'etcd-snapshot', podSpec(['/scripts/run.sh'], 'alpine:3.20'), 'name'],
    ['backup-etcd name', 'backup-etcd-daily', podSpec(['/scripts/run.sh'], 'alpine:3.20'), 'name'],
  ])('%s → %s', (_l, name, spec, signal) => {
    expect(etcdSnapshotSignal(name, {}, spec)).toBe(signal);
  });

  it('takes the app label as a name', () => {
    expect(etcdSnapshotSignal('nightly-29923560', { app: 'etcd-backup' }, podSpec(['/run.sh'], 'alpine'))).toBe('name');
  });

  it.each([
    ['an etcd defrag job', 'etcd-defrag', podSpec(['etcdctl', 'defrag', '--cluster'])],
    ['an unrelated backup', 'db-backup', podSpec(['pg_dump', 'shop'], 'postgres:16')],
    ['an etcd-operator image that is not etcd', 'backup', podSpec(['/run'], 'quay.io/coreos/etcd-operator:v0.9.4')],
  ])('ignores %s', (_l, name, spec) => {
    expect(etcdSnapshotSignal(name, {}, spec)).toBeUndefined();
  });
});

const json = (v: unknown) => ({ path: 'backups/etcd-snapshots.json', content: Buffer.from(JSON.stringify(v)) });

describe('parseSnapshotsJson', () => {
  it('reads the dump shape, snapshot status included', () => {
    expect(
      parseSnapshotsJson(
        json([
          {
            path: '/var/backups/etcd/a.db',
            sizeBytes: 20512,
            modified: '2026-11-23T07:00:18Z',
            status: { hash: 1, revision: 2, totalKey: 5, totalSize: 20480, extra: true },
          },
        ]),
      ),
    ).toEqual([
      {
        path: '/var/backups/etcd/a.db',
        sizeBytes: 20512,
        modified: '2026-11-23T07:00:18Z',
        status: { hash: 1, revision: 2, totalKey: 5, totalSize: 20480 },
      },
    ]);
  });

  it('keeps unusable entries with a problem', () => {
    const out = parseSnapshotsJson(
      json([{ path: '/x.db', sizeBytes: '1', modified: 'yesterday' }, 'nope', { sizeBytes: 1, modified: '2026-11-23T07:00:18Z' }]),
    );
    expect(out.map((e) => [e.path, e.problem])).toEqual([
      ['/x.db', 'entry 0 .sizeBytes: expected a number, got a string'],
      ['#1', 'entry 1 is not an object'],
      ['#2', 'entry 2 has no valid path'],
    ]);
  });

  it('throws InputError naming the file for invalid JSON or a non-array', () => {
    expect(() => parseSnapshotsJson({ path: 'backups/etcd-snapshots.json', content: Buffer.from('{') })).toThrow(InputError);
    expect(() => parseSnapshotsJson({ path: 'backups/etcd-snapshots.json', content: Buffer.from('{') })).toThrow(
      /backups\/etcd-snapshots.json:1:2: invalid JSON/,
    );
    expect(() => parseSnapshotsJson(json({ path: '/a.db' }))).toThrow(
      'backups/etcd-snapshots.json: expected a JSON array of snapshot files',
    );
  });
});

describe('reading --etcd-snapshot-dir', () => {
  let dir: string;
  const real = join(PACKAGE_ROOT, 'fixtures', 'etcd-snapshots', 'etcd-snapshot-3.4.23.db');
  const mtime = new Date('2026-11-23T06:00:00Z');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-preflight-snapshots-'));
    await copyFile(real, join(dir, 'etcd-20261123.db'));
    await writeFile(join(dir, 'zero.db'), '');
    await writeFile(join(dir, 'garbage.db'), Buffer.alloc(100, 7));
    await writeFile(join(dir, 'etcd-snapshot-server-a-1795413600'), Buffer.alloc(64, 1));
    await writeFile(join(dir, 'notes.txt'), 'not a snapshot');
    for (const f of ['etcd-20261123.db', 'zero.db', 'garbage.db', 'etcd-snapshot-server-a-1795413600'])
      await utimes(join(dir, f), mtime, mtime);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const entries = async (runner?: (f: string) => Promise<string>): Promise<EtcdSnapshotFile[]> => {
    const fetched = await readSnapshotDir(dir, runner);
    if (fetched.status !== 'ok') throw new Error(fetched.reason);
    expect(fetched.files.map((f) => f.path)).toEqual(['backups/etcd-snapshots.json']);
    return parseSnapshotsJson(fetched.files[0]!);
  };

  it('stats the snapshot files only, without running any tool', async () => {
    expect(await entries()).toEqual([
      { path: join(dir, 'etcd-20261123.db'), sizeBytes: 20512, modified: '2026-11-23T06:00:00.000Z' },
      { path: join(dir, 'etcd-snapshot-server-a-1795413600'), sizeBytes: 64, modified: '2026-11-23T06:00:00.000Z' },
      { path: join(dir, 'garbage.db'), sizeBytes: 100, modified: '2026-11-23T06:00:00.000Z' },
      { path: join(dir, 'zero.db'), sizeBytes: 0, modified: '2026-11-23T06:00:00.000Z' },
    ]);
  });

  it('records snapshot status, or the error it printed, and skips empty files', async () => {
    const seen: string[] = [];
    const runner = async (f: string): Promise<string> => {
      seen.push(f);
      if (f.endsWith('etcd-20261123.db')) return '{"hash":1,"revision":2,"totalKey":5,"totalSize":20480}';
      throw Object.assign(new Error('exit 1'), { stderr: '{"level":"info"}\nError: invalid database\n' });
    };
    const out = await entries(runner);
    expect(seen.some((f) => f.endsWith('zero.db'))).toBe(false);
    expect(out.map((e) => [e.path.slice(dir.length + 1), e.status ?? null, e.statusError ?? null])).toEqual([
      ['etcd-20261123.db', { hash: 1, revision: 2, totalKey: 5, totalSize: 20480 }, null],
      ['etcd-snapshot-server-a-1795413600', null, 'Error: invalid database'],
      ['garbage.db', null, 'Error: invalid database'],
      ['zero.db', null, null],
    ]);
  });

  it.skipIf(!runner)('reads a real snapshot with the etcd tool on PATH, read-only', async () => {
    const out = await entries(runner);
    expect(out[0]).toEqual({
      path: join(dir, 'etcd-20261123.db'),
      sizeBytes: 20512,
      modified: '2026-11-23T06:00:00.000Z',
      status: { hash: 3575439460, revision: 2, totalKey: 5, totalSize: 20480 },
    });
    expect(out[2]!.statusError).toBe('Error: invalid database');
    expect((await entries()).map((e) => e.modified)).toEqual(out.map((e) => e.modified));
  });

  it('fails with the folder named when it cannot be read', async () => {
    const fetched = await readSnapshotDir(join(dir, 'nope'), undefined);
    expect(fetched.status).toBe('failed');
    expect(fetched.status !== 'ok' && fetched.reason).toMatch(/^--etcd-snapshot-dir .*nope: ENOENT/);
  });

  it('takes precedence over the dump when --etcd-snapshot-dir is given', async () => {
    const source = await DumpSource.open(join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26'));
    try {
      const got = (await source.load([etcdSnapshotFilesInput], { etcdSnapshotDir: dir, requestTimeoutMs: 30_000 })).get(
        'etcd-snapshot-files',
      )!;
      expect(got.status).toBe('ok');
      expect(got.sources).toEqual([dir]);
      expect((got.value as EtcdSnapshotFile[]).map((e) => e.sizeBytes)).toEqual([20512, 64, 100, 0]);
      const fromDump = (await source.load([etcdSnapshotFilesInput], { requestTimeoutMs: 30_000 })).get('etcd-snapshot-files')!;
      expect(fromDump.value).toEqual([
        {
          path: '/var/backups/etcd/etcd-snapshot.db',
          sizeBytes: 2240544,
          modified: '2026-11-23T07:00:18.629384Z',
          status: { hash: 3658754490, revision: 1262, totalKey: 1281, totalSize: 2240512 },
        },
      ]);
    } finally {
      await source.close();
    }
  });

  it('is missing on a live scan without the option, saying where the files are', async () => {
    const fetched = await etcdSnapshotFilesInput.live!({} as LiveContext);
    expect(fetched).toEqual({ status: 'missing', reason: expect.stringContaining('--etcd-snapshot-dir') });
  });
});

describe('typed normalization of the backup inputs', () => {
  const obj = (apiVersion: string, kind: string, fields: Record<string, unknown>): KubeObject => ({
    apiVersion,
    kind,
    metadata: { name: 'x', namespace: 'ns' },
    ...fields,
  });
  const etcdTemplate = {
    containers: [{ name: 'c', image: 'registry.k8s.io/etcd:3.5.15-0', command: ['etcdctl', 'snapshot', 'save', '/b/x.db'] }],
  };
  it.each([
    [
      'a Velero Backup',
      () => veleroBackupsInput.normalize(obj('velero.io/v1', 'Backup', { status: { phase: ['Completed'] } })),
      '.status.phase: expected a string, got a list',
    ],
    [
      'a Velero Backup',
      () => veleroBackupsInput.normalize(obj('velero.io/v1', 'Backup', { status: { phase: 'Completed', errors: '0' } })),
      '.status.errors: expected a number, got a string',
    ],
    [
      'a Velero Schedule',
      () => veleroSchedulesInput.normalize(obj('velero.io/v1', 'Schedule', { spec: { schedule: '0 1 * * *', paused: 'true' } })),
      '.spec.paused: expected a boolean, got a string',
    ],
    [
      'a Velero BackupStorageLocation',
      () => veleroStorageLocationsInput.normalize(obj('velero.io/v1', 'BackupStorageLocation', { spec: { objectStorage: 'bucket' } })),
      '.spec.objectStorage: expected an object, got a string',
    ],
    [
      'a Velero Restore',
      () => veleroRestoresInput.normalize(obj('velero.io/v1', 'Restore', { spec: { backupName: 7 } })),
      '.spec.backupName: expected a string, got an integer',
    ],
    [
      'an etcd CronJob template',
      () =>
        etcdBackupCronJobsInput.normalize(
          obj('batch/v1', 'CronJob', { spec: { jobTemplate: { spec: { template: { spec: { containers: { image: 'etcd' } } } } } } }),
        ),
      '.spec.jobTemplate.spec.template.spec.containers: expected a list, got an object',
    ],
    [
      'an etcd CronJob',
      () =>
        etcdBackupCronJobsInput.normalize(
          obj('batch/v1', 'CronJob', { spec: { schedule: 6, jobTemplate: { spec: { template: { spec: etcdTemplate } } } } }),
        ),
      '.spec.schedule: expected a string, got an integer',
    ],
    [
      'an etcd Job',
      () =>
        etcdBackupJobsInput.normalize(
          obj('batch/v1', 'Job', { spec: { template: { spec: etcdTemplate } }, status: { conditions: { type: 'Complete' } } }),
        ),
      '.status.conditions: expected a list, got an object',
    ],
    [
      'an etcd Job template',
      () =>
        etcdBackupJobsInput.normalize(
          obj('batch/v1', 'Job', { spec: { template: { spec: { containers: [{ command: 'etcdctl snapshot save' }] } } } }),
        ),
      '.spec.template.spec.containers[0].command: expected a list, got a string',
    ],
    [
      'a k3s ETCDSnapshotFile',
      () => k3sEtcdSnapshotsInput.normalize(obj('k3s.cattle.io/v1', 'ETCDSnapshotFile', { status: { size: { value: 1 } } })),
      '.status.size: expected a quantity (a string or a number), got an object',
    ],
    [
      'a k8up Backup',
      () =>
        backupOperatorRunsInput.normalize(obj('k8up.io/v1', 'Backup', { status: { conditions: [{ type: 'Completed', status: true }] } })),
      '.status.conditions[0].status: expected a string, got a boolean',
    ],
    [
      'a KubeStash BackupSession',
      () => backupOperatorRunsInput.normalize(obj('core.kubestash.com/v1alpha1', 'BackupSession', { spec: { invoker: 'nightly' } })),
      '.spec.invoker: expected an object, got a string',
    ],
    [
      'a Longhorn Backup',
      () => backupOperatorRunsInput.normalize(obj('longhorn.io/v1beta2', 'Backup', { status: { state: 1 } })),
      '.status.state: expected a string, got an integer',
    ],
  ])('%s with a field of the wrong type throws naming its path (%#)', (_l, run, message) => {
    expect(run).toThrow(expect.objectContaining({ name: 'InputError', message }));
  });

  it('reads an unrelated CronJob with a wrong-typed schedule as no etcd job (its template is all it reads)', () => {
    expect(
      etcdBackupCronJobsInput.normalize(
        obj('batch/v1', 'CronJob', {
          spec: { schedule: 6, jobTemplate: { spec: { template: { spec: { containers: [{ image: 'nginx' }] } } } } },
        }),
      ),
    ).toBeUndefined();
  });

  it('reads null fields as absent', () => {
    expect(
      veleroBackupsInput.normalize(
        obj('velero.io/v1', 'Backup', {
          spec: { storageLocation: null },
          status: { phase: null, errors: null, completionTimestamp: null },
        }),
      ),
    ).toEqual(expect.objectContaining({ phase: undefined, storageLocation: undefined, errors: 0, completionTimestamp: undefined }));
  });
});
