/**
 * `trend` over a real series: the sample dump scanned at four clocks, the last two from a copy
 * in which the `prod/web-tls` Secret and the `oncall-admins-cluster-admin` ClusterRoleBinding
 * were removed, the third run without the rbac checks. Expected values, worked out by hand
 * (and the same as `diff` between consecutive reports says):
 * - run 1 (11-24): 29 findings, all opened; web.example.com has 9 days left; 3 cluster admins;
 * - run 2 (12-01): 1 opened (the etcd snapshot folder goes stale-critical), 2 changed (the
 *   CronJob's backup goes stale → stale-critical, web-tls expires-soon → expires-very-soon);
 * - run 3 (12-08, no web-tls, rbac skipped): web-tls closed after 14 days; the 3 rbac findings
 *   absent but not judged (rbac skipped), so still open; admins not assessed;
 * - run 4 (12-15, rbac back): Group oncall-admins closed after 21 days, the other rbac
 *   findings continue; 2 cluster admins. Median time to fix 17.5 days.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { renderJson } from '../../src/render/json.js';
import { DumpSource } from '../../src/sources/dump.js';
import { buildTrend } from '../../src/trend/build.js';
import { renderTrendHtml } from '../../src/trend/html.js';
import { loadRuns } from '../../src/trend/load.js';
import { renderTrendMarkdown } from '../../src/trend/markdown.js';
import type { Trend } from '../../src/trend/model.js';
import { trendSchemaErrors } from '../../src/trend/schema.js';
import { renderTrendText } from '../../src/trend/text.js';
import { htmlProblems } from '../render/validators.js';
import { runCli } from '../support/cli.js';

const SAMPLE = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
let work: string;
let reports: string;
let trend: Trend;

async function scanTo(dump: string, now: string, dir: string, skip?: string[]): Promise<void> {
  const source = await DumpSource.open(dump);
  try {
    const { report } = await scan({
      source,
      registry: new Registry(await loadBuiltinChecks()),
      config: EMPTY_CONFIG,
      now: new Date(now),
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
      ...(skip ? { skip } : {}),
    });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'report.json'), renderJson(report));
  } finally {
    await source.close();
  }
}

async function dropItems(file: string, name: string): Promise<void> {
  const list = JSON.parse(await readFile(file, 'utf8')) as { items: Array<{ metadata: { name: string } }> };
  list.items = list.items.filter((i) => i.metadata.name !== name);
  await writeFile(file, JSON.stringify(list));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-trend-'));
  const fixed = join(work, 'fixed-dump');
  await cp(SAMPLE, fixed, { recursive: true });
  await dropItems(join(fixed, 'resources', 'secrets.json'), 'web-tls');
  await dropItems(join(fixed, 'resources', 'clusterrolebindings.rbac.authorization.k8s.io.json'), 'oncall-admins-cluster-admin');
  reports = join(work, 'reports');
  // Folder names sort against the clock: the order must come from the reports.
  await scanTo(SAMPLE, '2026-11-24T00:00:00Z', join(reports, 'pod-d'));
  await scanTo(SAMPLE, '2026-12-01T00:00:00Z', join(reports, 'pod-c'));
  await scanTo(fixed, '2026-12-08T00:00:00Z', join(reports, 'pod-b'), ['rbac']);
  await scanTo(fixed, '2026-12-15T00:00:00Z', join(reports, 'pod-a'));
  const { runs, warnings } = await loadRuns([reports]);
  trend = buildTrend(runs, warnings, new Date('2026-12-16T00:00:00Z'));
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('trend of the sample dump over four runs', () => {
  it('matches the schema', () => {
    expect(trendSchemaErrors(trend)).toEqual([]);
    expect(trend.metadata).toMatchObject({
      cluster: { uid: '834bc5ce-07a4-46bc-8dc8-97abfc1e287c', server: 'https://127.0.0.1:6443' },
      warnings: [],
    });
  });

  it('orders the runs by clock and counts opened, closed, changed and not judged', () => {
    expect(trend.runs.map((r) => [r.file.slice(reports.length + 1), r.now, r.verdict])).toEqual([
      ['pod-d/report.json', '2026-11-24T00:00:00.000Z', 'NO-GO'],
      ['pod-c/report.json', '2026-12-01T00:00:00.000Z', 'NO-GO'],
      ['pod-b/report.json', '2026-12-08T00:00:00.000Z', 'NO-GO'],
      ['pod-a/report.json', '2026-12-15T00:00:00.000Z', 'NO-GO'],
    ]);
    expect(
      trend.runs.map((r) => ({ opened: r.opened, closed: r.closed, changed: r.changed, open: r.open, notAssessed: r.notAssessed })),
    ).toEqual([
      { opened: 29, closed: 0, changed: 0, open: 29, notAssessed: 0 },
      { opened: 1, closed: 0, changed: 2, open: 30, notAssessed: 0 },
      { opened: 0, closed: 1, changed: 0, open: 29, notAssessed: 3 },
      { opened: 0, closed: 1, changed: 1, open: 28, notAssessed: 0 },
    ]);
    expect(trend.summary).toEqual({
      runs: 4,
      from: '2026-11-24T00:00:00.000Z',
      to: '2026-12-15T00:00:00.000Z',
      opened: 30,
      closed: 2,
      open: 28,
      medianDaysToFix: 17.5,
      verdict: 'NO-GO',
    });
  });

  it('gives each closed finding its time to fix', () => {
    const closed = trend.findings.filter((f) => f.state === 'closed');
    expect(
      closed.map((f) => ({
        checkId: f.checkId,
        rule: f.rule,
        resource: f.resource,
        firstSeen: f.firstSeen,
        closedAt: f.closedAt,
        daysToFix: f.daysToFix,
      })),
    ).toEqual([
      {
        checkId: 'certs-cluster-expiry',
        rule: 'expires-very-soon',
        resource: { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web-tls', field: 'tls.crt#0' },
        firstSeen: '2026-11-24T00:00:00.000Z',
        closedAt: '2026-12-08T00:00:00.000Z',
        daysToFix: 14,
      },
      {
        checkId: 'rbac-cluster-admins',
        rule: 'cluster-admin',
        resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Group', name: 'oncall-admins' },
        firstSeen: '2026-11-24T00:00:00.000Z',
        closedAt: '2026-12-15T00:00:00.000Z',
        daysToFix: 21,
      },
    ]);
  });

  it('keeps the rbac findings the skipped run could not judge open, from their first sighting', () => {
    const rbac = trend.findings.filter((f) => f.checkId.startsWith('rbac-') && f.state === 'open');
    expect(rbac.map((f) => [f.checkId, f.rule, f.firstRun, f.lastRun, f.notAssessed])).toEqual([
      ['rbac-risky-subjects', 'app-service-account-admin', 0, 3, undefined],
      ['rbac-cluster-admins', 'cluster-admin', 0, 3, undefined],
    ]);
  });

  it('follows a finding whose rule changes under the fingerprint it was first seen with', () => {
    const backup = trend.findings.find(
      (f) => f.checkId === 'backup-etcd-snapshots' && 'kind' in f.resource && f.resource.kind === 'CronJob',
    )!;
    expect(backup).toMatchObject({ rule: 'stale-critical', severity: 'critical', firstRun: 0, state: 'open' });
    expect(backup.id).not.toBe(backup.fingerprint);
  });

  it('draws certificate days left and cluster admins per run', () => {
    expect(trend.runs.map((r) => [r.certificates?.soonest?.name, r.certificates?.soonest?.daysLeft, r.certificates?.count])).toEqual([
      ['web.example.com', 9, 18],
      ['web.example.com', 2, 18],
      ['api.example.com', 350, 17],
      ['api.example.com', 343, 17],
    ]);
    expect(trend.runs.map((r) => r.clusterAdminCount)).toEqual([3, 3, null, 2]);
    expect(trend.certificates[0]).toEqual({
      checkId: 'certs-cluster-expiry',
      name: 'web.example.com',
      where: 'Secret prod/web-tls [tls.crt#0]',
      daysLeft: [9, 2, null, null],
      minDaysLeft: 2,
    });
    expect(trend.certificates).toHaveLength(6);
    expect(trend.certificates.slice(1).every((c) => c.minDaysLeft === 343)).toBe(true);
  });

  it('renders valid, self-contained HTML with four charts and no script', async () => {
    const html = renderTrendHtml(trend);
    expect(await htmlProblems(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.match(/(?:src|href)=/g)).toBeNull();
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;; style-src &#x27;sha256-[A-Za-z0-9+/]+&#x3D;&#x27;; img-src data:; base-uri &#x27;none&#x27;; form-action &#x27;none&#x27;">/,
    );
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('<title>2026-12-08: 1 closed</title>');
    expect(html).toContain('<title>web.example.com (Secret prod/web-tls [tls.crt#0]), 2026-12-01: 2 days left</title>');
    expect(html).toContain('<title>2026-12-15: 2</title>');
  });

  it('writes markdown with the runs and the closed findings', () => {
    const md = renderTrendMarkdown(trend);
    expect(md).toContain(
      '2026-11-24 00:00 → 2026-12-15 00:00 \\(UTC\\), 4 runs. **30 opened**, **2 closed**, 28 open after the last run; median time to fix: 17.5 days.',
    );
    expect(md).toContain(
      '| critical | certs-cluster-expiry | expires-very-soon | Secret prod/web-tls \\[tls.crt\\#0\\] | 2026-11-24 00:00 | 2026-12-08 00:00 | 14 |',
    );
    expect(md).toContain('| low | rbac-cluster-admins | cluster-admin | Group oncall-admins | 2026-11-24 00:00 | 2026-12-15 00:00 | 21 |');
    expect(md).toContain(
      `| 2026-12-08 00:00 | NO-GO | 29 | 0 | 1 | 0 | 3 | 350 days left: api.example.com \\(Secret prod/api-tls \\[tls.crt\\#0\\]\\) | not assessed | \`${join(reports, 'pod-b', 'report.json')}\` |`,
    );
    expect(md).toContain('| web.example.com | Secret prod/web-tls \\[tls.crt\\#0\\] | 9 | 2 | — | — |');
  });

  it('fits the text runs table to the width', () => {
    const text = renderTrendText(trend, 110);
    const table = text.split('\n\n')[1]!.split('\n');
    expect(table).toEqual([
      'RUN (UTC)    VERDICT   OPEN   OPENED   CLOSED   UNJUDGED   CERT DAYS LEFT          ADMINS   REPORT',
      '2026-11-24   NO-GO     29     29       0        0          9 (web.example.com)     3        pod-d/report.json',
      '2026-12-01   NO-GO     30     1        0        0          2 (web.example.com)     3        pod-c/report.json',
      '2026-12-08   NO-GO     29     0        1        3          350 (api.example.com)   -        pod-b/report.json',
      '2026-12-15   NO-GO     28     0        1        0          343 (api.example.com)   2        pod-a/report.json',
    ]);
    expect(renderTrendText(trend, 80).split('\n\n')[1]!.split('\n').slice(3, 5)).toEqual([
      '2026-12-08   NO-GO     29     0        1        3          350                    -        pod-b/report.json',
      '                                                           (api.example.com)',
    ]);
    expect(text).toContain('30 opened, 2 closed, 28 open after the last run; median time to fix: 17.5 days.');
  });
});

describe('kube-preflight trend', () => {
  it('prints the table and writes trend.json, trend.html and trend.md', async () => {
    const out = join(work, 'out');
    const r = await runCli(['trend', reports, '-o', out], { env: { COLUMNS: '110' } });
    expect(r.stderr).toBe(['trend.json', 'trend.html', 'trend.md'].map((f) => `wrote ${join(out, f)}\n`).join(''));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `Trend of https://127.0.0.1:6443, 2026-11-24 00:00 → 2026-12-15 00:00 (UTC), 4 runs\nReports below ${reports}\n`,
    );
    expect(r.stdout).toContain(
      '\n2026-12-08   NO-GO     29     0        1        3          350 (api.example.com)   -        pod-b/report.json\n',
    );
    const json = JSON.parse(await readFile(join(out, 'trend.json'), 'utf8')) as Trend;
    expect(trendSchemaErrors(json)).toEqual([]);
    expect(json.summary).toEqual(trend.summary);
    expect(await readFile(join(out, 'trend.md'), 'utf8')).toBe(renderTrendMarkdown(json));
  });

  it('refuses reports of another cluster, naming both files', async () => {
    const other = join(work, 'other', 'report.json');
    const report = JSON.parse(await readFile(join(reports, 'pod-a', 'report.json'), 'utf8')) as { metadata: { cluster: { uid: string } } };
    report.metadata.cluster.uid = '00000000-0000-0000-0000-000000000000';
    await mkdir(join(work, 'other'), { recursive: true });
    await writeFile(other, JSON.stringify(report));
    const r = await runCli(['trend', join(reports, 'pod-d'), other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `kube-preflight: error: trend: ${other} (uid 00000000-0000-0000-0000-000000000000) is not of the cluster of ${join(reports, 'pod-d', 'report.json')} (uid 834bc5ce-07a4-46bc-8dc8-97abfc1e287c); a trend follows one cluster\n`,
    );
  });

  it('names a bad report, a missing file and a folder without reports in one line', async () => {
    const bad = join(work, 'bad.json');
    await writeFile(bad, '{"apiVersion": "kube-preflight/v1", ');
    const notReport = join(work, 'not-report.json');
    await writeFile(notReport, '{"kind": "Other"}');
    const empty = join(work, 'empty');
    await mkdir(empty);
    const cases: Array<[string[], RegExp]> = [
      [
        [reports, bad],
        new RegExp(
          `^kube-preflight: error: trend ${bad}:1:37: invalid JSON: unexpected end of input \\(truncated file\\?\\): expected a double-quoted property name\\n$`,
        ),
      ],
      [[notReport], new RegExp(`^kube-preflight: error: trend ${notReport}: not a kube-preflight report \\([^\\n]+\\)\\n$`)],
      [[join(work, 'missing.json')], new RegExp(`^kube-preflight: error: trend ${join(work, 'missing.json')}: cannot read it: ENOENT\\n$`)],
      [[empty], new RegExp(`^kube-preflight: error: trend ${empty}: no report.json below this folder\\n$`)],
      [
        [reports, '/dev/zero'],
        /^kube-preflight: error: trend \/dev\/zero: not a regular file \(a FIFO, socket or device is never read\)\n$/,
      ],
    ];
    for (const [args, expected] of cases) {
      const r = await runCli(['trend', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(expected);
      expect(r.stdout).toBe('');
    }
  });
});
