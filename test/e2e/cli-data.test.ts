/**
 * `--data DIR` on the command line: newer tables replace the built-in ones, a bad file is one
 * line with exit 2 naming the file and the path of the problem.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RELEASES_PATH } from '../../src/k8s/tables.js';
import { runCli } from '../support/cli.js';

const SAMPLE = 'fixtures/dumps/lab-1.26';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-e2e-data-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('--data', () => {
  it('a releases.json with a bad date is exit 2, one line naming the file and the path', async () => {
    const dir = join(work, 'bad');
    await mkdir(dir);
    const t = JSON.parse(await readFile(BUILTIN_RELEASES_PATH, 'utf8')) as { releases: Array<{ endOfLife: string }> };
    t.releases[18]!.endOfLife = 'soon';
    await writeFile(join(dir, 'releases.json'), JSON.stringify(t));
    const r = await runCli(['scan', '--dump', SAMPLE, '--data', dir, '--now', '2026-12-04', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `kube-preflight: error: ${join(dir, 'releases.json')}: .releases[18].endOfLife: expected a date such as 2026-12-04`,
    );
  });

  it('a folder without tables is exit 2', async () => {
    const dir = join(work, 'empty');
    await mkdir(dir);
    const r = await runCli(['scan', '--dump', SAMPLE, '--data', dir, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`kube-preflight: error: --data ${dir}: holds neither releases.json nor deprecated-apis.json`);
  });

  it('a newer releases.json lets a target of 1.38 be planned', async () => {
    const dir = join(work, 'newer');
    await mkdir(dir);
    const t = JSON.parse(await readFile(BUILTIN_RELEASES_PATH, 'utf8')) as Record<string, unknown> & { releases: unknown[] };
    t.asOf = '2027-01-05';
    t.releases.push({ minor: '1.38', released: '2026-12-16', endOfLife: '2028-02-28', kubeadm: null });
    t.nextRelease = { minor: '1.39', expected: '2027-04-21', source: 'https://github.com/kubernetes/sig-release/tree/master/releases' };
    await writeFile(join(dir, 'releases.json'), JSON.stringify(t));
    const without = await runCli([
      'scan',
      '--dump',
      SAMPLE,
      '--target-version',
      '1.38',
      '--now',
      '2027-01-05',
      '--checks',
      'versions-support-window',
      '-q',
    ]);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/newer than the newest Kubernetes release this kube-preflight knows \(1\.37, table as of 2026-12-04\)/);
    const r = await runCli([
      'scan',
      '--dump',
      SAMPLE,
      '--data',
      dir,
      '--target-version',
      '1.38',
      '--now',
      '2027-01-05',
      '--checks',
      'versions-support-window',
      '--format',
      'json',
      '-q',
    ]);
    const report = JSON.parse(r.stdout) as {
      checks: Array<{ id: string; details?: { asOf?: string; newestInTable?: string; supported?: string[] } }>;
    };
    const c = report.checks.find((x) => x.id === 'versions-support-window')!;
    expect(c.details).toMatchObject({ asOf: '2027-01-05', newestInTable: '1.38', supported: ['1.35', '1.36', '1.37', '1.38'] });
  });
});
