/**
 * End to end: the BUILT CLI (`node bin/kube-preflight.js`, after `npm run build`) scanning a
 * fleet — fixture dumps and the loopback test API server (test/support/apiserver.ts), some of
 * whose kubeconfig contexts cannot be scanned — then `kube-preflight fleet` over the folder
 * it wrote, which must give the same summary.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetSummary } from '../../src/fleet/model.js';
import { fleetSchemaErrors } from '../../src/fleet/schema.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { Report } from '../../src/contract/report.js';
import { TestApiServer } from '../support/apiserver.js';
import { tempDir, type TempDir } from '../support/live.js';
import { K3S, LAB, NOW } from './reports.js';

const CLI = join(PACKAGE_ROOT, 'bin', 'kube-preflight.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let server: TestApiServer;
let dir: TempDir;
let kubeconfig: string;

/** Runs the built CLI asynchronously (the test server shares this process's event loop). */
function cli(args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir.path, NO_COLOR: '1' };
  delete env.KUBECONFIG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const json = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const withoutTime = ({ metadata: { generatedAt: _g, ...metadata }, ...rest }: FleetSummary) => ({ ...rest, metadata });
/** A report without what differs between two runs of the same scan. */
const comparable = (r: Report) => ({
  ...r,
  metadata: { ...r.metadata, generatedAt: '' },
  checks: r.checks.map((c) => ({ ...c, durationMs: 0 })),
});

/** Every file under `root`, relative, sorted. */
function files(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(root, f)).isFile())
    .sort();
}

beforeAll(async () => {
  if (!existsSync(join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('build first: npm run build (npm test does)');
  server = await TestApiServer.start(LAB);
  dir = tempDir();
  kubeconfig = server.writeKubeconfig(join(dir.path, 'kubeconfig'));
  mkdirSync(join(dir.path, 'empty'));
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await server?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  dir?.remove();
});

describe('scan of a fleet: two dumps and an unreachable API server', () => {
  let out: string;
  let run: Run;
  beforeAll(async () => {
    out = join(dir.path, 'three');
    run = await cli([
      'scan',
      '--dump',
      LAB,
      '--dump',
      K3S,
      '--kubeconfig',
      kubeconfig,
      '--context',
      'unreachable',
      '--now',
      NOW,
      '-o',
      out,
      '--format',
      'json,text,html,markdown',
    ]);
  }, 120_000);

  it('gives three results and the worst verdict as exit code', () => {
    expect(run.code).toBe(1);
    expect(files(out)).toEqual([
      'fail-k3s-suffixes/report.html',
      'fail-k3s-suffixes/report.json',
      'fail-k3s-suffixes/report.json.sha256',
      'fail-k3s-suffixes/report.md',
      'fail-k3s-suffixes/report.txt',
      'fleet.html',
      'fleet.json',
      'fleet.md',
      'fleet.txt',
      'lab-1.26/report.html',
      'lab-1.26/report.json',
      'lab-1.26/report.json.sha256',
      'lab-1.26/report.md',
      'lab-1.26/report.txt',
      'unreachable/not-scanned.json',
    ]);
    const fleet = json(join(out, 'fleet.json')) as FleetSummary;
    expect(fleetSchemaErrors(fleet)).toEqual([]);
    expect(fleet.summary).toEqual({
      verdict: 'NO-GO',
      reason: '3 clusters: 1 NO-GO (lab-1.26); 1 not scanned (unreachable); 1 INCOMPLETE (fail-k3s-suffixes).',
      clusters: 3,
      counts: { GO: 0, 'NO-GO': 1, INCOMPLETE: 1, 'REPORT-ONLY': 0, 'not scanned': 1 },
    });
    const reason = 'cannot reach the API server https://127.0.0.1:9 (context "unreachable"): connection to 127.0.0.1:9 refused';
    expect(fleet.notScanned).toEqual([{ cluster: 'unreachable', source: `live, context unreachable (${kubeconfig})`, reason }]);
    expect(json(join(out, 'unreachable', 'not-scanned.json'))).toEqual({
      apiVersion: 'kube-preflight/v1',
      kind: 'NotScanned',
      source: `live, context unreachable (${kubeconfig})`,
      reason,
    });
    expect(fleet.clusters.map((c) => [c.cluster, c.source, c.verdict])).toEqual([
      ['fail-k3s-suffixes', `dump ${K3S}`, 'INCOMPLETE'],
      ['lab-1.26', `dump ${LAB}`, 'NO-GO'],
      ['unreachable', `live, context unreachable (${kubeconfig})`, undefined],
    ]);
  });

  it('prints the fleet summary, and one line per cluster on stderr', () => {
    expect(run.stdout).toBe(readFileSync(join(out, 'fleet.txt'), 'utf8'));
    expect(run.stdout.startsWith('FLEET VERDICT: NO-GO\n')).toBe(true);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => !l.startsWith('wrote ')).sort()).toEqual([
      `fail-k3s-suffixes: INCOMPLETE, wrote ${join(out, 'fail-k3s-suffixes')}`,
      `lab-1.26: NO-GO, wrote ${join(out, 'lab-1.26')}`,
      'unreachable: not scanned: cannot reach the API server https://127.0.0.1:9 (context "unreachable"): connection to 127.0.0.1:9 refused',
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('writes each cluster the report a single-cluster scan writes', async () => {
    const single = await cli(['scan', '--dump', LAB, '--now', NOW, '--format', 'json']);
    expect(single.code).toBe(1);
    expect(comparable(json(join(out, 'lab-1.26', 'report.json')) as Report)).toEqual(comparable(JSON.parse(single.stdout) as Report));
  });

  it('`fleet` over the folder gives the same summary and exit code', async () => {
    const again = await cli(['fleet', out, '--format', 'json']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('');
    expect(withoutTime(JSON.parse(again.stdout) as FleetSummary)).toEqual(withoutTime(json(join(out, 'fleet.json')) as FleetSummary));
    const written = join(dir.path, 'fleet-out');
    const files2 = await cli(['fleet', out, '-o', written, '--format', 'html,markdown', '-q']);
    expect(files2.code).toBe(1);
    expect(files(written)).toEqual(['fleet.html', 'fleet.md']);
    expect(readFileSync(join(written, 'fleet.md'), 'utf8')).toBe(readFileSync(join(out, 'fleet.md'), 'utf8'));
  });
});

describe('scan --all-contexts', () => {
  it('scans every context, two at a time; the ones that fail are not scanned, without secrets', async () => {
    const out = join(dir.path, 'all');
    const r = await cli([
      'scan',
      '--kubeconfig',
      kubeconfig,
      '--all-contexts',
      '--parallel',
      '2',
      '--checks',
      'versions',
      '--now',
      NOW,
      '-o',
      out,
      '--format',
      'json',
      '-q',
    ]);
    // The versions checks leave the test cluster INCOMPLETE (kube-proxy's own version is not
    // known); so is the fleet, whose unscanned clusters count as INCOMPLETE: exit 3.
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('');
    const fleet = json(join(out, 'fleet.json')) as FleetSummary;
    expect(fleet.summary.verdict).toBe('INCOMPLETE');
    expect(fleet.clusters.map((c) => [c.cluster, c.status, c.verdict])).toEqual([
      ['bad-token', 'not scanned', undefined],
      ['test', 'scanned', 'INCOMPLETE'],
      ['unreachable', 'not scanned', undefined],
      ['wrong-ca', 'not scanned', undefined],
    ]);
    expect(fleet.notScanned.map((n) => n.reason)).toEqual([
      expect.stringMatching(/rejected the credentials \(401 Unauthorized\)$/),
      'cannot reach the API server https://127.0.0.1:9 (context "unreachable"): connection to 127.0.0.1:9 refused',
      expect.stringMatching(/^cannot reach .*: TLS handshake with .* failed: /),
    ]);
    expect(fleet.versions).toEqual([expect.objectContaining({ cluster: 'test', gitVersion: 'v1.26.4' })]);
    for (const f of files(out)) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text, f).not.toContain(server.token);
      expect(text, f).not.toContain('not-the-token');
    }
    expect(server.writes()).toEqual([]);
  }, 120_000);
});

describe('fleet scan usage errors: exit 2, one line, nothing scanned', () => {
  it.each([
    [
      ['--dump', LAB, '--dump', K3S],
      /^kube-preflight: error: a fleet scan \(several --dump, --context or --kubeconfig, or --all-contexts\) writes one report per cluster: give -o DIR$/,
    ],
    [
      ['--dump', LAB, '--dump', K3S, '-o', 'OUT', '--baseline', 'x.json'],
      /^kube-preflight: error: --baseline is the earlier report of one cluster: it cannot be used in a fleet scan/,
    ],
    [
      ['--dump', LAB, '--dump', K3S, '-o', 'OUT', '--pki-dir', 'pki'],
      /^kube-preflight: error: --pki-dir read\(s\) the files or endpoints of one cluster: not in a fleet scan/,
    ],
    [['--all-contexts', '--context', 'test', '-o', 'OUT'], /^kube-preflight: error: --all-contexts and --context: give one or the other$/],
    [
      ['--kubeconfig', 'a', '--kubeconfig', 'b', '--context', 'test', '-o', 'OUT'],
      /^kube-preflight: error: --context with several --kubeconfig: /,
    ],
    [
      ['--dump', LAB, '--dump', K3S, '-o', 'OUT', '--no-cluster'],
      /^kube-preflight: error: --no-cluster cannot be combined with a fleet scan/,
    ],
  ])('scan %j', async (args, message) => {
    const out = join(dir.path, 'never');
    const r = await cli(['scan', ...args.map((a) => (a === 'OUT' ? out : a))]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [
      ['fleet', 'gs://bucket/x'],
      /^kube-preflight: error: gs:\/\/bucket\/x: unsupported location \(gs:\/\/\); give a folder, a report.json file or s3:\/\/BUCKET\/PREFIX$/,
    ],
    [['fleet', 'MISSING'], /^kube-preflight: error: .*missing: no such file or folder$/],
    [['fleet', 'EMPTY'], /^kube-preflight: error: .*: no report.json found$/],
    [
      ['fleet', 'EMPTY', '--format', 'pdf'],
      /^kube-preflight: error: --format: unknown fleet format pdf \(expected json, html, markdown, text\)$/,
    ],
  ])('%j', async (args, message) => {
    const r = await cli(args.map((a) => (a === 'MISSING' ? join(dir.path, 'missing') : a === 'EMPTY' ? join(dir.path, 'empty') : a)));
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });
});
