/**
 * CI gates and compliance evidence through the built CLI: waivers (applied, expired, stale,
 * invalid), baselines, `diff`, the report's evidence metadata and its SHA-256 sidecar.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/contract/report.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { runCli } from '../support/cli.js';

const SAMPLE = 'fixtures/dumps/lab-1.26';
const NOW = '2026-11-23T07:00:18Z';
const BASE = ['scan', '--dump', SAMPLE, '--now', NOW, '--checks', 'versions-node-readiness', '--fail-on', 'high'];
let work: string;
let fp: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-gates-'));
  const r = await runCli([...BASE, '--format', 'json']);
  fp = (JSON.parse(r.stdout) as Report).findings[0]!.fingerprint;
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function waiverFile(name: string, body: string): Promise<string> {
  const p = join(work, name);
  await writeFile(p, `apiVersion: kube-preflight/v1\nkind: Waivers\nwaivers:\n${body}`);
  return p;
}

describe('waivers', () => {
  it('a valid waiver turns NO-GO into GO and stays visible in the report', async () => {
    expect((await runCli(BASE)).code).toBe(1);
    const w = await waiverFile(
      'ok.yaml',
      `  - fingerprint: "${fp}"\n    reason: decommissioned next sprint\n    owner: ops@example.com\n    expires: "2026-12-31"\n    ticket: OPS-7\n`,
    );
    const r = await runCli([...BASE, '--waivers', w, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.findings[0]!.waiver).toEqual({
      reason: 'decommissioned next sprint',
      owner: 'ops@example.com',
      expires: '2026-12-31',
      ticket: 'OPS-7',
    });
    expect(report.summary.findings).toMatchObject({ high: 0, waived: 1 });
    expect(report.waivers!.entries[0]).toMatchObject({ state: 'applied', matched: 1 });
    const text = await runCli([...BASE, '--waivers', w]);
    expect(text.stdout).toContain('HIGH (waived)');
    expect(text.stdout).toContain('[0] fingerprint');
  });

  it('an expired waiver no longer applies and says so; a pattern that matches nothing is stale', async () => {
    const w = await waiverFile(
      'expired.yaml',
      `  - checkId: versions-node-readiness\n    resource: { kind: Node, name: "lab-worker-*" }\n    reason: r\n    owner: o\n    expires: "2026-11-01"\n  - checkId: versions-node-readiness\n    resource: { name: "no-such-*" }\n    reason: r\n    owner: o\n    expires: "2027-01-01"\n`,
    );
    const r = await runCli([...BASE, '--waivers', w]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('EXPIRED on 2026-11-01, no longer applies (1 finding(s) count again)');
    expect(r.stdout).toContain('stale: matches no finding');
  });

  it('an invalid waivers file is a config error (exit 2) naming the entry', async () => {
    const w = await waiverFile('bad.yaml', `  - checkId: versions-node-readiness\n    reason: r\n    expires: "2027-01-01"\n`);
    const r = await runCli([...BASE, '--waivers', w]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`kube-preflight: error: waivers ${w}:4: waivers[0]: owner is required`);
  });
});

describe('baselines', () => {
  it('only findings new since the baseline count toward the gate', async () => {
    const out = join(work, 'base');
    await runCli([...BASE, '-o', out, '-q']);
    const r = await runCli([...BASE, '--baseline', join(out, 'report.json'), '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings[0]!.baseline).toBe('existing');
    expect(report.baseline).toMatchObject({ new: 0, existing: 1, resolved: [] });
  });

  it('a finding that changed rule gates only when its severity got worse', async () => {
    // The only finding of this check on the sample is prod/web-tls: expires-soon (high) on NOW,
    // expired (critical) on 2026-12-10.
    const certs = ['scan', '--dump', SAMPLE, '--checks', 'certs-cluster-expiry', '--fail-on', 'high', '--format', 'json'];
    const early = join(work, 'certs-early');
    const late = join(work, 'certs-late');
    await runCli([...certs, '--now', NOW, '-o', early, '-q']);
    await runCli([...certs, '--now', '2026-12-10T07:00:00Z', '-o', late, '-q']);
    const worse = await runCli([...certs, '--now', '2026-12-10T07:00:00Z', '--baseline', join(early, 'report.json')]);
    const report = JSON.parse(worse.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.findings.map((f) => [f.rule, f.severity, f.baseline, f.previous?.rule, f.previous?.severity])).toEqual([
      ['expired', 'critical', 'changed', 'expires-soon', 'high'],
    ]);
    expect(report.baseline).toMatchObject({ new: 0, existing: 0, resolved: [] });
    expect(report.baseline!.changed.map((c) => `${c.previous.rule} ${c.previous.severity} → ${c.rule} ${c.severity}`)).toEqual([
      'expires-soon high → expired critical',
    ]);
    expect(worse.code).toBe(1);
    // The other way round the severity got better: changed, but it does not gate.
    const better = await runCli([...certs, '--now', NOW, '--baseline', join(late, 'report.json')]);
    const back = JSON.parse(better.stdout) as Report;
    expect(reportSchemaErrors(back)).toEqual([]);
    expect(back.findings.map((f) => [f.rule, f.baseline, f.previous?.severity])).toEqual([['expires-soon', 'changed', 'critical']]);
    // Nothing gates; the verdict is INCOMPLETE (exit 3), not GO, because the sample has no
    // served chain (tls/apiserver-serving.pem) for the check to judge.
    expect(back.summary.verdict).toBe('INCOMPLETE');
    expect(better.code).toBe(3);
  });

  it('a baseline that is not a report is a fatal error', async () => {
    const p = join(work, 'not-a-report.json');
    await writeFile(p, '{"hello": 1}');
    const r = await runCli([...BASE, '--baseline', p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--baseline ${p}: not a kube-preflight report`);
  });
});

describe('evidence metadata and diff', () => {
  it('writes a SHA-256 sidecar and records tool, catalog and dump digests', async () => {
    const out = join(work, 'evidence');
    await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '-o', out, '-q']);
    const json = await readFile(join(out, 'report.json'));
    expect(await readFile(join(out, 'report.json.sha256'), 'utf8')).toBe(
      `${createHash('sha256').update(json).digest('hex')}  report.json\n`,
    );
    const report = JSON.parse(json.toString()) as Report;
    expect(report.metadata.tool.catalogVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(report.metadata.source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('diffs two real scans of the sample taken at two clocks (--now)', async () => {
    const before = join(work, 'now-1');
    const after = join(work, 'now-2');
    await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '-o', before, '-q']);
    await runCli(['scan', '--dump', SAMPLE, '--now', '2026-12-10T07:00:00Z', '-o', after, '-q']);
    const r = await runCli(['diff', join(before, 'report.json'), join(after, 'report.json'), '--format', 'json']);
    expect(r.code).toBe(0);
    interface Ref {
      checkId: string;
      rule: string;
      severity: string;
      resource: { name?: string; field?: string };
      previous?: { rule: string; severity: string };
    }
    const d = JSON.parse(r.stdout) as { new: Ref[]; resolved: Ref[]; changed: Ref[] };
    // The TLS Secret prod/web-tls expires on 2026-12-03: "expires soon" (high) becomes "expired"
    // (critical): one finding that changed, neither resolved nor new.
    const webTls = (refs: Ref[]) => refs.filter((f) => f.checkId === 'certs-cluster-expiry' && f.resource.name === 'web-tls');
    expect(webTls(d.resolved)).toEqual([]);
    expect(webTls(d.new)).toEqual([]);
    expect(webTls(d.changed).map((f) => `${f.previous!.rule} ${f.previous!.severity} → ${f.rule} ${f.severity}`)).toEqual([
      'expires-soon high → expired critical',
    ]);
    const md = await runCli(['diff', join(before, 'report.json'), join(after, 'report.json'), '--format', 'markdown']);
    expect(md.stdout).toContain(
      '| high → critical | certs-cluster-expiry | expires-soon → expired | Secret prod/web-tls \\[tls.crt\\#0\\] |',
    );
  });

  it('diffs two scans as text, JSON and markdown', async () => {
    const a = join(work, 'diff-a');
    const b = join(work, 'diff-b');
    await runCli([...BASE, '-o', a, '-q']);
    // The second scan skips the check (a selection must keep one check: control-plane-skew,
    // not applicable on the sample).
    await runCli([
      'scan',
      '--dump',
      SAMPLE,
      '--now',
      NOW,
      '--checks',
      'versions-node-readiness,versions-control-plane-skew',
      '--skip',
      'versions-node-readiness',
      '--fail-on',
      'high',
      '-o',
      b,
      '-q',
    ]);
    const json = await runCli(['diff', join(a, 'report.json'), join(b, 'report.json'), '--format', 'json']);
    expect(json.code).toBe(0);
    const d = JSON.parse(json.stdout) as { resolved: Array<{ fingerprint: string }>; checks: unknown[] };
    expect(d.resolved.map((x) => x.fingerprint)).toEqual([fp]);
    expect(d.checks).toEqual([
      { id: 'versions-control-plane-skew', before: 'absent', after: 'not-applicable' },
      { id: 'versions-node-readiness', before: 'fail', after: 'skipped' },
    ]);
    const text = await runCli(['diff', join(a, 'report.json'), join(b, 'report.json')]);
    expect(text.stdout).toContain('0 new, 1 resolved, 0 changed, 0 unchanged');
    const md = await runCli(['diff', join(a, 'report.json'), join(b, 'report.json'), '--format', 'markdown']);
    expect(md.stdout).toContain('### Resolved findings (1)');
    expect(md.stdout).toContain(`\`${fp}\``);
  });
});
