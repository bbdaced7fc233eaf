/**
 * End to end: the BUILT CLI (`node bin/kube-preflight.js`, after `npm run build`) against the
 * loopback test API server serving fixtures/dumps/lab-1.26.
 *
 * - the live scan gives the same checks and findings as the dump scan of the same folder
 *   (checks that need a file input the API cannot give, such as etcd/ files, are set aside),
 *   and the server saw GET requests only;
 * - `collect` then `scan --dump` gives the same report as the live scan, and the collected
 *   dump holds no Secret value other than tls.crt/ca.crt and no Helm release payload;
 * - exit codes: a bad context, an unreachable server or a missing kubeconfig exit 2 with one
 *   line on stderr; a forbidden input makes the verdict INCOMPLETE (exit 3).
 *
 * The comparisons cover the whole report, so they keep holding as checks are added.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { Report } from '../../src/contract/report.js';
import { inputDef } from '../../src/sources/inputs.js';
import { scannedAs } from '../../src/render/html-view.js';
import { TestApiServer, TEST_USER } from '../support/apiserver.js';
import { tempDir, type TempDir } from '../support/live.js';

const CLI = join(PACKAGE_ROOT, 'bin', 'kube-preflight.js');
const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
const NOW = '2026-11-23T07:00:18Z';
/** File inputs read the same way in both modes. */
const SHARED_FLAGS = ['--now', NOW, '--pki-dir', join(LAB, 'pki'), '--format', 'json', '--fail-on', 'none'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

let server: TestApiServer;
let dir: TempDir;
let kubeconfig: string;

/** Runs the built CLI (asynchronously: the test server shares this process's event loop). */
function cli(args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir.path, NO_COLOR: '1' };
  delete env.KUBECONFIG;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

function report(r: Run): Report {
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Report;
}

/** The report without what differs by source or run: metadata.source/generatedAt, durations, input sources. */
function comparable(r: Report): unknown {
  const { generatedAt: _g, source: _s, ...metadata } = r.metadata;
  return {
    ...r,
    metadata,
    checks: r.checks.map(({ durationMs: _d, ...c }) => c),
    inputs: r.inputs.map(({ sources: _s2, ...i }) => i),
  };
}

beforeAll(async () => {
  if (!existsSync(join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('build first: npm run build (npm test does)');
  server = await TestApiServer.start(LAB);
  dir = tempDir();
  kubeconfig = server.writeKubeconfig(join(dir.path, 'kubeconfig'));
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await server?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  dir?.remove();
});
beforeEach(() => server.reset());

describe('live scan of the lab-1.26 dump served by the test API server', () => {
  it('gives the same checks and findings as the dump scan, with GET requests only', async () => {
    const catalog = JSON.parse((await cli(['checks', '--json'])).stdout) as {
      checks: Array<{ id: string; requires: string[]; optional: string[] }>;
    };
    const liveRun = await cli(['scan', '--kubeconfig', kubeconfig, ...SHARED_FLAGS]);
    const live = report(liveRun);
    const requests = server.requests.length;
    const dump = report(await cli(['scan', '--dump', LAB, ...SHARED_FLAGS]));
    console.info(`live scan of lab-1.26: ${requests} requests, ${liveRun.ms} ms wall (CLI start included)`);

    // Only GETs, the SelfSubjectAccessReview POSTs of the permission plan and one
    // SelfSubjectReview ("who am I?"), which store nothing.
    expect(server.writes()).toEqual([]);
    expect(new Set(server.nonGet().map((r) => `${r.method} ${r.path}`))).toEqual(
      new Set(['POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews', 'POST /apis/authentication.k8s.io/v1/selfsubjectreviews']),
    );
    expect(live.permissions).toEqual({ reviewed: expect.any(Number), denied: [] });
    expect(live.metadata.source).toEqual({ type: 'live', location: server.url, context: 'test', server: server.url, user: TEST_USER });
    expect(scannedAs(live)).toBe(
      `live, kubeconfig context test (${server.url}), as user kube-preflight-test (groups system:authenticated, preflight-auditors)`,
    );

    // File inputs the API cannot give (dump-only files, or files that need a flag such as
    // --etcd-endpoints) are set aside, with the checks that read them; they must say why.
    // So are files the API gives but this real dump was taken without (discovery/apis.json).
    const fileMissing = (r: Report) =>
      r.inputs.filter((i) => inputDef(i.key)?.type === 'files' && i.status === 'missing').map((i) => i.key);
    // kubectl-version and user-kubeconfig are the scanning user's own kubectl and credentials (live;
    // absent from a dump that records none), not the cluster's: set aside too.
    const apiless = new Set([...fileMissing(live), ...fileMissing(dump), 'kubectl-version', 'user-kubeconfig']);
    for (const i of [...live.inputs, ...dump.inputs].filter((x) => apiless.has(x.key) && x.status === 'missing'))
      expect(i.reason, i.key).toBeTruthy();
    const uses = new Map(catalog.checks.map((c) => [c.id, [...c.requires, ...c.optional]]));
    const setAside = new Set(live.checks.filter((c) => uses.get(c.id)!.some((k) => apiless.has(k))).map((c) => c.id));
    const compared = live.checks.filter((c) => !setAside.has(c.id)).map((c) => c.id);
    expect(compared.length).toBeGreaterThan(0);

    const pick = (r: Report) => ({
      checks: r.checks
        .filter((c) => !setAside.has(c.id))
        .map(({ id, status, reason, evaluated, unknowns, findings }) => ({ id, status, reason, evaluated, unknowns, findings })),
      findings: r.findings.filter((f) => !setAside.has(f.checkId)),
      inputs: r.inputs.filter((i) => !apiless.has(i.key)).map(({ key, status, count }) => ({ key, status, count })),
    });
    expect(pick(live)).toEqual(pick(dump));
    expect(pick(live).findings.length).toBeGreaterThan(0);
    expect(live.checks.map((c) => c.id)).toEqual(dump.checks.map((c) => c.id));
  });

  it('collect, then a scan of the collected dump, gives the live report; the dump holds no secret', async () => {
    const out = join(dir.path, 'collected');
    const col = await cli(['collect', '--kubeconfig', kubeconfig, '-o', out, '--pki-dir', join(LAB, 'pki')]);
    expect(col.code).toBe(0);
    expect(col.stderr).toBe('');
    expect(col.stdout).toMatch(/^wrote .*collected: \d+ objects of \d+ resources, \d+ files \(\d+ GET requests\)\n/);
    // The scanning user's kubectl is judged on a live scan only; in the collected dump it is the
    // collector's, shown as context: compared apart.
    const kubectl = 'versions-kubectl-skew';
    const live = report(await cli(['scan', '--kubeconfig', kubeconfig, ...SHARED_FLAGS, '--skip', kubectl]));
    const fromDump = report(await cli(['scan', '--dump', out, ...SHARED_FLAGS, '--skip', kubectl]));
    const { permissions: _p, ...liveReport } = live;
    expect(comparable(fromDump)).toEqual(comparable(liveReport as Report));
    const liveKubectl = report(await cli(['scan', '--kubeconfig', kubeconfig, ...SHARED_FLAGS, '--checks', kubectl])).checks[0]!;
    const dumpKubectl = report(await cli(['scan', '--dump', out, ...SHARED_FLAGS, '--checks', kubectl])).checks[0]!;
    expect(liveKubectl.details).toMatchObject({ judged: true });
    expect(dumpKubectl).toMatchObject({
      status: 'not-applicable',
      evaluated: 0,
      details: { judged: false, kubectlVersion: (liveKubectl.details as { kubectlVersion: string }).kubectlVersion },
    });
    expect(server.writes()).toEqual([]);

    const metadata = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    expect(metadata).toMatchObject({ server: server.url, context: 'test', collectedBy: expect.stringMatching(/ collect$/) });
    for (const f of readdirSync(out, { recursive: true, encoding: 'utf8' })) {
      const abs = join(out, f);
      if (!statSync(abs).isFile()) continue;
      const text = readFileSync(abs, 'utf8');
      expect(text, f).not.toMatch(/PRIVATE KEY-----|client-key-data/);
      if (!f.startsWith('resources/')) continue;
      for (const item of JSON.parse(text).items as Array<{
        kind: string;
        apiVersion: string;
        data?: Record<string, string>;
        stringData?: unknown;
        metadata: { labels?: Record<string, string> };
      }>) {
        expect(typeof item.kind).toBe('string');
        expect(typeof item.apiVersion).toBe('string');
        const helm = item.metadata.labels?.owner === 'helm';
        if (item.kind === 'Secret') {
          expect(item.stringData).toBeUndefined();
          expect(Object.keys(item.data ?? {}).filter((k) => k !== 'tls.crt' && k !== 'ca.crt')).toEqual([]);
        }
        if (helm) expect(item.data?.release).toBeUndefined();
      }
    }
  });

  it('exits as the dump scan does, and 3 (INCOMPLETE) when an input is forbidden', async () => {
    const live = await cli(['scan', '--kubeconfig', kubeconfig, '--now', NOW, '--checks', 'versions-node-readiness']);
    const dump = await cli(['scan', '--dump', LAB, '--now', NOW, '--checks', 'versions-node-readiness']);
    expect(live.code).toBe(dump.code);
    server.fault('/api/v1/nodes', { status: 403 });
    const forbidden = await cli([
      'scan',
      '--kubeconfig',
      kubeconfig,
      '--now',
      NOW,
      '--checks',
      'versions-node-readiness',
      '--format',
      'json',
    ]);
    expect(forbidden.code).toBe(3);
    const r = JSON.parse(forbidden.stdout) as Report;
    expect(r.summary.verdict).toBe('INCOMPLETE');
    expect(r.inputs.find((i) => i.key === 'nodes')).toMatchObject({ status: 'forbidden' });
    // The permission plan said so before reading, in the report and on stderr.
    expect(r.permissions!.denied).toEqual([
      {
        request: 'list nodes',
        inputs: ['nodes'],
        reason: 'denied by an injected 403',
        requiredBy: ['versions-node-readiness'],
        optionalFor: [],
      },
    ]);
    expect(forbidden.stderr).toContain('permission plan: 1 of ');
    expect(forbidden.stderr).toContain('  list nodes (error: versions-node-readiness)');
  });

  it('sends no access review with --no-permission-check: GET requests and the one SelfSubjectReview', async () => {
    const r = await cli(['scan', '--kubeconfig', kubeconfig, ...SHARED_FLAGS, '--no-permission-check']);
    expect(r.code).not.toBe(2);
    expect(server.nonGet().map((q) => `${q.method} ${q.path}`)).toEqual(['POST /apis/authentication.k8s.io/v1/selfsubjectreviews']);
    expect(server.requests.length).toBeGreaterThan(10);
    expect((JSON.parse(r.stdout) as Report).permissions).toBeUndefined();
  });

  it('asks v1beta1 when v1 of SelfSubjectReview is not served (Kubernetes 1.27)', async () => {
    server.fault('/apis/authentication.k8s.io/v1/selfsubjectreviews', { status: 404 });
    const r = await cli(['scan', '--kubeconfig', kubeconfig, ...SHARED_FLAGS, '--checks', 'versions']);
    expect(server.nonGet().map((q) => q.path)).toContain('/apis/authentication.k8s.io/v1beta1/selfsubjectreviews');
    // The test server serves v1 only: its answer to the v1beta1 POST is 405.
    expect((JSON.parse(r.stdout) as Report).metadata.source.userError).toBe(
      '/apis/authentication.k8s.io/v1beta1/selfsubjectreviews: HTTP 405 Method Not Allowed: POST is not allowed by the test server',
    );
  });

  it('says why the user is not known when the API server refuses the SelfSubjectReview, and scans on', async () => {
    server.fault('/apis/authentication.k8s.io/v1/selfsubjectreviews', { status: 403 });
    const r = await cli(['scan', '--kubeconfig', kubeconfig, ...SHARED_FLAGS]);
    expect(r.code).not.toBe(2);
    const source = (JSON.parse(r.stdout) as Report).metadata.source;
    expect(source.user).toBeUndefined();
    expect(source.userError).toBe(
      '/apis/authentication.k8s.io/v1/selfsubjectreviews: HTTP 403 Forbidden: injected HTTP 403 for /apis/authentication.k8s.io/v1/selfsubjectreviews',
    );
    expect(scannedAs(JSON.parse(r.stdout) as Report)).toBe(
      `live, kubeconfig context test (${server.url}); user not known: /apis/authentication.k8s.io/v1/selfsubjectreviews: HTTP 403 Forbidden: ` +
        'injected HTTP 403 for /apis/authentication.k8s.io/v1/selfsubjectreviews',
    );
  });
});

describe('fatal errors: exit 2, one line on stderr, no report', () => {
  it.each([
    [
      'a --context not in the kubeconfig',
      () => ['scan', '--kubeconfig', kubeconfig, '--context', 'nope'],
      /^kube-preflight: error: --context "nope" is not in kubeconfig .* \(available: test, bad-token, wrong-ca, unreachable\)$/,
    ],
    [
      'an unreachable server',
      () => ['scan', '--kubeconfig', kubeconfig, '--context', 'unreachable'],
      /^kube-preflight: error: cannot reach the API server https:\/\/127\.0\.0\.1:9 \(context "unreachable"\): connection to 127\.0\.0\.1:9 refused$/,
    ],
    [
      'a server certificate the CA did not sign',
      () => ['scan', '--kubeconfig', kubeconfig, '--context', 'wrong-ca'],
      /^kube-preflight: error: cannot reach .*: TLS handshake with .* failed: /,
    ],
    [
      'credentials the server rejects',
      () => ['scan', '--kubeconfig', kubeconfig, '--context', 'bad-token'],
      /rejected the credentials \(401 Unauthorized\)$/,
    ],
    [
      'a missing kubeconfig',
      () => ['scan', '--kubeconfig', join(dir.path, 'missing')],
      /^kube-preflight: error: kubeconfig .*missing does not exist$/,
    ],
    [
      'no kubeconfig at all',
      () => ['scan'],
      /^kube-preflight: error: no kubeconfig: .*\.kube\/config does not exist; give --kubeconfig or set \$KUBECONFIG$/,
    ],
    [
      'collect with a bad context',
      () => ['collect', '--kubeconfig', kubeconfig, '--context', 'nope', '-o', join(dir.path, 'never')],
      /^kube-preflight: error: --context "nope" is not in kubeconfig/,
    ],
  ])('%s', async (_name, args, message) => {
    const r = await cli(args());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });
});
