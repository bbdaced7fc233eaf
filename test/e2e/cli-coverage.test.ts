/**
 * The four ways issue 14 found a scan could read as a pass, through the built CLI:
 * a false GO (findings plus an unreadable subject), a false pass (covered by the fixture cases
 * and the ablation test), readable findings thrown away (same), and an empty gate (a selection
 * of no checks; `--fail-on none`). Plus the impossible `--target-version`s.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/contract/report.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { runCli } from '../support/cli.js';

const SAMPLE = 'fixtures/dumps/lab-1.26';
const NOW = '2026-11-23T07:00:18Z';
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kp-coverage-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('a check with findings and unknowns is never GO', () => {
  it('eleven high findings and one unreadable certificate: INCOMPLETE, exit 3, the file named', async () => {
    const dump = join(work, 'garbage-pki');
    cpSync(SAMPLE, dump, { recursive: true });
    writeFileSync(
      join(dump, 'pki', 'garbage.crt'),
      '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGUgYXQgYWxsLCBqdXN0IGdhcmJhZ2U=\n-----END CERTIFICATE-----\n',
    );
    const r = await runCli(['scan', '--dump', dump, '--checks', 'certs-pki-expiry', '--now', '2027-11-01T00:00:00Z', '--format', 'json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.summary.verdict).toBe('INCOMPLETE');
    expect(report.summary.findings).toMatchObject({ critical: 0, high: 11 });
    expect(report.checks[0]).toMatchObject({ id: 'certs-pki-expiry', status: 'fail' });
    expect(report.checks[0]!.unknowns.map((u) => u.resource)).toEqual([{ file: 'pki/garbage.crt' }]);
    expect(report.summary.notAssessed).toEqual([
      { checkId: 'certs-pki-expiry', status: 'fail', unknowns: 1, reason: expect.stringContaining('not a readable X.509 certificate') },
    ]);
    const text = await runCli(['scan', '--dump', dump, '--checks', 'certs-pki-expiry', '--now', '2027-11-01T00:00:00Z']);
    expect(text.stdout.replace(/\n/g, ' ')).toContain(
      'INCOMPLETE  No finding at or above critical; 11 findings below it, but 1 check could not be fully assessed: certs-pki-expiry (1 unknown).',
    );
    expect(text.stdout).toContain('Not assessed: 1 check, 1 unknown (certs-pki-expiry).');
  });
});

describe('no empty gate', () => {
  it('--skip of every family is a usage error, one line, exit 2, no report', async () => {
    const out = join(work, 'skip-all');
    const r = await runCli(['scan', '--dump', SAMPLE, '--skip', 'certs,etcd,versions,apis,pdb,backup,rbac', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'kube-preflight: error: no check selected: --skip certs,etcd,versions,apis,pdb,backup,rbac leaves nothing to run (see `kube-preflight checks`)\n',
    );
    expect(r.stdout).toBe('');
  });

  it('--fail-on none is report-only: REPORT-ONLY, exit 0, never a GO over findings', async () => {
    const r = await runCli([
      'scan',
      '--dump',
      SAMPLE,
      '--now',
      NOW,
      '--checks',
      'versions-node-readiness',
      '--fail-on',
      'none',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.metadata.failOn).toBe('none');
    expect(report.summary).toMatchObject({ verdict: 'REPORT-ONLY', notAssessed: [] });
    expect(report.findings.length).toBeGreaterThan(0);
    const md = await runCli([
      'scan',
      '--dump',
      SAMPLE,
      '--now',
      NOW,
      '--checks',
      'versions-node-readiness',
      '--fail-on',
      'none',
      '--format',
      'markdown',
    ]);
    expect(md.stdout).toContain('**REPORT-ONLY**: Gate off \\(--fail-on none\\)');
    expect(md.stdout).toContain('## kube-preflight: REPORT-ONLY for ');
  });

  it('--fail-on none over the whole sample is INCOMPLETE (exit 3): what was not assessed still shows', async () => {
    const r = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--target-version', '1.27', '--fail-on', 'none', '--format', 'json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.summary.verdict).toBe('INCOMPLETE');
    expect(report.summary.reason).toMatch(
      /^Gate off \(--fail-on none\), \d+ findings reported, but \d+ checks could not be fully assessed: /,
    );
  });
});

describe('impossible target versions are usage errors', () => {
  it.each([
    [
      '1.25',
      'kube-preflight: error: --target-version 1.25 is older than the cluster (v1.26.4): downgrades are not supported; give the version you upgrade to\n',
    ],
    [
      '1.40',
      expect.stringMatching(
        /^kube-preflight: error: --target-version 1\.40 is newer than the newest Kubernetes release this kube-preflight knows \(1\.\d+, table as of [\d-]+\): its API removals and skew rules are unknown; give newer tables with --data DIR or update kube-preflight\n$/,
      ),
    ],
  ])('--target-version %s: exit 2, one line', async (target, stderr) => {
    const r = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--target-version', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual(stderr);
  });
});
