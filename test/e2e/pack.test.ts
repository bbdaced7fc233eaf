/**
 * Installable as users install tools: the `npm pack` tarball holds what the program needs and
 * nothing of the repository's development files, installs into a clean global prefix (its
 * dependencies from the npm registry or npm's cache), and the installed `kube-preflight` scans
 * the bundled sample exactly as the repository's build does. The `kubectl-preflight` executable
 * makes it a kubectl plugin (`kubectl preflight …`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, TOOL_VERSION } from '../../src/paths.js';
import type { Report } from '../../src/contract/report.js';
import { runCli } from '../support/cli.js';

const run = promisify(execFile);
const SAMPLE = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
const SCAN = ['scan', '--dump', SAMPLE, '--now', '2026-11-23T07:00:18Z', '--target-version', '1.27', '--format', 'json'];

let work: string;
let prefix: string;
let tarball: string;
let files: string[];

function has(cmd: string): Promise<boolean> {
  return run(cmd, ['version', '--client'], { env: { ...process.env, KUBECONFIG: '/dev/null' } }).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-pack-'));
  prefix = join(work, 'prefix');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: PACKAGE_ROOT, maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info!.filename);
  files = info!.files.map((f) => f.path);
  await run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {
    cwd: work,
    maxBuffer: 64 * 1024 * 1024,
  });
}, 240_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the program, its checks, templates and schema, and no development files', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'bin/kube-preflight.js',
        'bin/kubectl-preflight.js',
        'dist/src/cli/main.js',
        'dist/src/index.d.ts',
        'templates/report.hbs',
        'schema/report-v1.schema.json',
      ]),
    );
    expect(files.some((f) => f.startsWith('dist/checks/certs/') && f.endsWith('.js'))).toBe(true);
    // checks/<family>/data/*.json: the release and deprecation tables, read at run time.
    expect(
      files.filter(
        (f) => /^(test|fixtures|bench|dist\/bench|dist\/test|src|checks)\//.test(f) && !/^checks\/[a-z]+\/data\/[a-z-]+\.json$/.test(f),
      ),
    ).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['checks/versions/data/releases.json', 'checks/apis/data/deprecated-apis.json']));
  });

  it('installs into a clean prefix, and the installed program scans the sample as the build does', async () => {
    const bin = join(prefix, 'bin', 'kube-preflight');
    const version = await run(bin, ['--version']);
    expect(version.stdout.trim()).toBe(TOOL_VERSION);

    const installed = await run(bin, SCAN, { cwd: work, maxBuffer: 64 * 1024 * 1024 }).then(
      () => ({ code: 0, stdout: '' }),
      (e: unknown) => e as { code: number; stdout: string },
    );
    const here = await runCli(SCAN);
    expect(installed.code).toBe(1); // NO-GO, as the README says
    expect(here.code).toBe(1);
    const a = JSON.parse(installed.stdout) as Report;
    const b = JSON.parse(here.stdout) as Report;
    expect(a.summary).toEqual(b.summary);
    expect(a.findings.map((f) => f.fingerprint)).toEqual(b.findings.map((f) => f.fingerprint));
  });

  it('runs as a kubectl plugin: `kubectl preflight` finds kubectl-preflight on PATH', async (ctx) => {
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH ?? ''}`, KUBECONFIG: '/dev/null' };
    const plugin = join(prefix, 'bin', 'kubectl-preflight');
    const help = await run(plugin, ['scan', '--help'], { env });
    expect(help.stdout).toMatch(/^Usage: kubectl preflight scan \[options\]/);
    if (!(await has('kubectl'))) {
      ctx.skip();
      return;
    }
    const viaKubectl = await run('kubectl', ['preflight', '--version'], { env });
    expect(viaKubectl.stdout.trim()).toBe(TOOL_VERSION);
    const list = await run('kubectl', ['plugin', 'list'], { env });
    expect(list.stdout).toContain(plugin);
    expect((await readFile(plugin, 'utf8')).startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
