/**
 * End to end through the built CLI on dumps: exit codes (0 GO, 1 NO-GO, 2 fatal, 3 INCOMPLETE),
 * report files that validate against the schema, and broken inputs that give a clear one-line
 * error or an `error` status naming the file — never a stack trace.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/engine/verdict.js';
import type { Report } from '../../src/contract/report.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { runCli } from '../support/cli.js';

const SAMPLE = 'fixtures/dumps/lab-1.26';
const NOW = '2026-11-23T07:00:18Z';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-e2e-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function dumpWith(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const dir = join(work, name);
  for (const [p, c] of Object.entries(files)) {
    await mkdir(join(dir, p, '..'), { recursive: true });
    await writeFile(join(dir, p), c);
  }
  return dir;
}

function noStack(s: string): void {
  expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('scan on the bundled sample', () => {
  it('writes report.json and report.txt that match the schema and the printed summary', async () => {
    const out = join(work, 'out');
    const r = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '-o', out]);
    expect([0, 1, 3]).toContain(r.code);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.metadata.source).toMatchObject({ type: 'dump', location: SAMPLE, collectedAt: '2026-11-23T07:00:18Z' });
    expect(report.metadata.cluster).toMatchObject({ gitVersion: 'v1.26.4' });
    expect(report.metadata.cluster.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.stdout).toContain(report.summary.verdict);
    // The text report wraps the reason at its width.
    expect((await readFile(join(out, 'report.txt'), 'utf8')).replace(/\s+/g, ' ')).toContain(report.summary.reason);
    expect(r.code).toBe(EXIT_CODES[report.summary.verdict]);
  });

  it('prints JSON on stdout with --format json', async () => {
    const r = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--format', 'json', '--checks', 'versions-node-readiness']);
    const report = JSON.parse(r.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.checks.map((c) => c.id)).toEqual(['versions-node-readiness']);
  });
});

describe('exit codes', () => {
  it('0 when nothing reaches --fail-on, 1 when something does', async () => {
    const go = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--checks', 'versions-node-readiness', '--fail-on', 'critical']);
    expect(go.code).toBe(0);
    expect(go.stdout).toMatch(/^GO {2}/m);
    const nogo = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--checks', 'versions-node-readiness', '--fail-on', 'high']);
    expect(nogo.code).toBe(1);
    expect(nogo.stdout).toMatch(/^NO-GO {2}1 problem \(1 finding at or above high\) must be fixed or waived: /m);
    const none = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--checks', 'versions-node-readiness', '--fail-on', 'none']);
    expect(none.code).toBe(0);
  });

  it('3 when a check could not run (input missing), and the reason is shown', async () => {
    const dir = await dumpWith('no-nodes', {
      'version.json': '{"gitVersion":"v1.30.1"}',
      'resources/pods.yaml': 'apiVersion: v1\nkind: List\nitems: []\n',
    });
    const r = await runCli(['scan', '--dump', dir, '--checks', 'versions']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^INCOMPLETE {2}/m);
    expect(r.stdout).toContain('input nodes is missing');
  });

  it('skipped checks are listed and do not make the verdict incomplete', async () => {
    const r = await runCli([
      'scan',
      '--dump',
      SAMPLE,
      '--now',
      NOW,
      '--checks',
      'versions-node-readiness,apis-served-versions',
      '--skip',
      'versions-node-readiness',
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.checks.find((c) => c.id === 'versions-node-readiness')).toMatchObject({
      status: 'skipped',
      reason: 'skipped with --skip',
    });
    expect(report.inputs.find((i) => i.key === 'nodes')).toBeUndefined();
  });

  it.each([
    [['scan', '--dump', 'no/such/dump'], 'kube-preflight: error: dump not found: no/such/dump does not exist'],
    [
      ['scan', '--dump', SAMPLE, '--fail-on', 'urgent'],
      "kube-preflight: error: option '--fail-on <severity>' argument 'urgent' is invalid. expected one of critical, high, medium, low, info, none",
    ],
    [['scan', '--dump', SAMPLE, '--checks', 'certs-nope'], 'kube-preflight: error: --checks: unknown check or family: certs-nope'],
    [
      ['scan', '--dump', SAMPLE, '--now', 'yesterday'],
      "argument 'yesterday' is invalid. expected an RFC 3339 date-time such as 2026-11-23T07:00:00Z",
    ],
    [['scan', '--dump', SAMPLE, '--target-version', '1.x'], "argument '1.x' is invalid. expected a Kubernetes version"],
    [['scan', '--dump', SAMPLE, '--kubeconfig', 'x'], 'kube-preflight: error: --dump cannot be combined with --kubeconfig or --context'],
    [['scan', '--dump', SAMPLE, '--format', 'text,json'], 'kube-preflight: error: --format text,json: several formats need -o DIR'],
    [['scan', '--dump', SAMPLE, '--format', 'docx'], 'kube-preflight: error: --format: unknown format docx'],
    [['scan', '--dump', SAMPLE, '--plugin', './nope.js'], 'kube-preflight: error: plugin ./nope.js: no such file or folder'],
    [['scan', '--bogus'], "kube-preflight: error: unknown option '--bogus'"],
    [['explain', 'certs-nope'], 'kube-preflight: error: unknown check "certs-nope"'],
  ])('2 for %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    noStack(r.stderr);
  });

  it('2 for an invalid config file, naming the file, line and key', async () => {
    const cfg = join(work, 'bad-config.yaml');
    await writeFile(cfg, 'checks:\n  versions-node-readiness:\n    options:\n      warnDays: 3\n');
    const r = await runCli(['scan', '--dump', SAMPLE, '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `config ${cfg}:4: checks.versions-node-readiness.options.warnDays: unknown option (this check has no options)`,
    );
  });

  it('--set gives options and rule severities without a file, and the report records them', async () => {
    const out = join(work, 'set');
    const set = ['certs-pki-expiry.options.warnDays=400', 'certs-pki-expiry.rules.expires-soon=low'];
    const r = await runCli([
      'scan',
      '--dump',
      SAMPLE,
      '--now',
      NOW,
      '--checks',
      'certs-pki-expiry',
      ...set.flatMap((s) => ['--set', s]),
      '--format',
      'json',
      '-o',
      out,
      '-q',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.metadata.selection).toEqual({ checks: ['certs-pki-expiry'], set });
    // Every kubeadm certificate but the CAs expires within 400 days of NOW (and none within 30).
    expect(report.findings.map((f) => `${f.rule} ${f.severity} ${'file' in f.resource ? f.resource.file : ''}`)).toEqual(
      [
        'admin.conf',
        'apiserver-etcd-client.crt',
        'apiserver-kubelet-client.crt',
        'apiserver.crt',
        'controller-manager.conf',
        'etcd/healthcheck-client.crt',
        'etcd/peer.crt',
        'etcd/server.crt',
        'front-proxy-client.crt',
        'kubelet.conf',
        'scheduler.conf',
      ].map((f) => `expires-soon low pki/${f}`),
    );
  });

  it('a reader that stops early (`| head`) ends the output without a stack trace; the exit code and files stand', async () => {
    for (const format of ['text', 'json', 'markdown']) {
      const r = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--format', format], { closedStdout: true });
      expect({ format, stderr: r.stderr, code: r.code }).toEqual({ format, stderr: '', code: EXIT_CODES['NO-GO'] });
    }
    const out = join(work, 'closed-stdout');
    const w = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '-o', out, '-q'], { closedStdout: true });
    expect({ stderr: w.stderr, code: w.code }).toEqual({ stderr: '', code: EXIT_CODES['NO-GO'] });
    expect(JSON.parse(await readFile(join(out, 'report.json'), 'utf8'))).toMatchObject({ kind: 'Report' });
  });

  it('--set may name a check that --checks leaves out', async () => {
    const r = await runCli([
      'scan',
      '--dump',
      SAMPLE,
      '--now',
      NOW,
      '--checks',
      'certs-pki-expiry',
      '--set',
      'rbac-cluster-admins.options.maxClusterAdmins=1',
      '--format',
      'json',
      '-q',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('with --checks, a config naming a check it leaves out is still validated, naming the line', async () => {
    const cfg = join(work, 'other-check.yaml');
    await writeFile(cfg, 'checks:\n  pdb-drain-plan:\n    options:\n      maxParallelDrains: 0\n');
    const r = await runCli(['scan', '--dump', SAMPLE, '--checks', 'certs-pki-expiry', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `kube-preflight: error: config ${cfg}:4: checks.pdb-drain-plan.options.maxParallelDrains: got 0, expected an integer ≥ 1`,
    );
  });

  it('2 for a --set the check refuses, naming the setting', async () => {
    const r = await runCli(['scan', '--dump', SAMPLE, '--set', 'certs-pki-expiry.options.warnDays=-3']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('kube-preflight: error: --set certs-pki-expiry.options.warnDays=-3: got -3, expected a number ≥ 0 (days)');
  });

  it('2 for an option outside its schema, in one line naming the value and what is allowed', async () => {
    const cfg = join(work, 'bad-option.yaml');
    await writeFile(cfg, 'checks:\n  certs-pki-expiry:\n    options:\n      warnDays: -3\n');
    const r = await runCli(['scan', '--dump', SAMPLE, '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `kube-preflight: error: config ${cfg}:4: checks.certs-pki-expiry.options.warnDays: got -3, expected a number ≥ 0 (days)`,
    );
  });
});

describe('--no-cluster', () => {
  it('checks manifests alone, for CI on a Git repository', async () => {
    const manifests = 'fixtures/checks/apis-removed/fail-manifests-folder/manifests';
    const r = await runCli([
      'scan',
      '--no-cluster',
      '--manifests',
      manifests,
      '--target-version',
      '1.29',
      '--checks',
      'apis-removed',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.metadata.source).toEqual({ type: 'none', location: '(no cluster)' });
    expect(report.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['removed-api', 'critical'],
      ['removed-api', 'critical'],
    ]);
    expect(report.inputs.find((i) => i.key === 'api-usage')).toMatchObject({ status: 'missing', reason: 'no cluster data (--no-cluster)' });
  });

  it('cannot be combined with a cluster source', async () => {
    const r = await runCli(['scan', '--no-cluster', '--dump', SAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--no-cluster cannot be combined with --dump, --kubeconfig or --context');
  });
});

describe('broken inputs', () => {
  it.each([
    [
      'truncated JSON',
      'resources/nodes.json',
      '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}}',
      'resources/nodes.json:1:101: invalid JSON: unexpected end of input',
    ],
    [
      'a YAML tab error',
      'resources/nodes.yaml',
      'apiVersion: v1\nkind: Node\nmetadata:\n\tname: n1\n',
      'resources/nodes.yaml:4:1: invalid YAML: Tabs are not allowed as indentation',
    ],
    ['an empty file', 'resources/nodes.yaml', '', 'resources/nodes.yaml: file is empty'],
    [
      'a binary file',
      'resources/nodes.json',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      'resources/nodes.json: binary file, not YAML or JSON',
    ],
  ])('%s: the check is error naming the file, the verdict INCOMPLETE (exit 3)', async (name, path, content, message) => {
    const dir = await dumpWith(`broken-${name.replace(/\W+/g, '-')}`, { 'version.json': '{"gitVersion":"v1.30.1"}', [path]: content });
    const r = await runCli(['scan', '--dump', dir, '--checks', 'versions-node-readiness', '--format', 'json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.checks[0]).toMatchObject({ id: 'versions-node-readiness', status: 'error' });
    expect(report.checks[0]!.reason).toContain(message);
    expect(report.metadata.warnings.join('\n')).toContain(message);
    noStack(r.stderr);
  });

  it('a broken version.json leaves the checks that do not need it running', async () => {
    const dir = await dumpWith('bad-version', {
      'version.json': '{"serverVersion": {',
      'resources/nodes.yaml': 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {conditions: [{type: Ready, status: "True"}]}\n',
    });
    const r = await runCli(['scan', '--dump', dir, '--checks', 'versions-node-readiness', '--format', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(r.code).toBe(0);
    expect(report.checks[0]!.status).toBe('pass');
    expect(report.inputs.find((i) => i.key === 'version')).toMatchObject({ status: 'failed' });
    expect(report.inputs.find((i) => i.key === 'version')!.reason).toContain('version.json:1:20: invalid JSON: unexpected end of input');
  });
});

describe('checks, explain and plugins', () => {
  it('lists the catalog as a table and as JSON', async () => {
    const t = await runCli(['checks']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^ID\s+FAMILY\s+SEVERITY\s+TITLE\s+INPUTS/m);
    expect(t.stdout).toContain('versions-node-readiness');
    const j = JSON.parse((await runCli(['checks', '--json'])).stdout) as { checks: Array<{ id: string; rules: unknown[] }> };
    expect(j.checks.find((c) => c.id === 'versions-node-readiness')!.rules).toEqual([
      { id: 'node-not-ready', title: 'Node is NotReady', severity: 'high' },
      { id: 'node-status-unknown', title: 'Node readiness unknown (kubelet stopped posting status)', severity: 'high' },
    ]);
  });

  it('explains a check', async () => {
    const r = await runCli(['explain', 'versions-node-readiness']);
    expect(r.code).toBe(0);
    for (const s of ['Why it matters', 'Rules', 'node-not-ready (high)', 'Remediation', 'Inputs', 'nodes (required)', 'References'])
      expect(r.stdout).toContain(s);
  });

  it('explains what each option of a check allows', async () => {
    const r = await runCli(['explain', 'pdb-drain-plan']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '  maxParallelDrains = 1: an integer ≥ 1 — most nodes drained at the same time in the plan (1 = one at a time, the usual rolling upgrade)',
    );
  });

  it('runs a plugin check in a scan, with its id prefixed', async () => {
    const r = await runCli([
      'scan',
      '--dump',
      SAMPLE,
      '--now',
      NOW,
      '--plugin',
      'fixtures/plugins/sample-plugin',
      '--checks',
      'sample/versions-container-runtime',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.checks).toEqual([
      expect.objectContaining({ id: 'sample/versions-container-runtime', status: 'pass', evaluated: 5, origin: 'sample@1.0.0' }),
    ]);
    expect(report.metadata.selection).toEqual({
      checks: ['sample/versions-container-runtime'],
      plugins: ['fixtures/plugins/sample-plugin'],
    });
  });
});
