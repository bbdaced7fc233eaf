/**
 * `--format prometheus` on the bundled sample: exact series for certificates, findings,
 * check status and verdict, and the whole text accepted by a strict OpenMetrics parser
 * (prometheus_client.openmetrics.parser, Debian's python3-prometheus-client). Without python3
 * or the module the parser test is skipped with a message, or fails when
 * KUBE_PREFLIGHT_REQUIRE_REAL_COMPONENTS=1 (CI installs it).
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPrometheus } from '../../src/render/prometheus.js';
import type { Report } from '../../src/contract/report.js';
import { sampleReport } from './sample.js';

let report: Report;
let text: string;

beforeAll(async () => {
  report = await sampleReport();
  text = await renderPrometheus(report, { scanDurationSeconds: 2.5 });
});

/** The value of the one sample whose line starts with `series` (name and labels as printed). */
function value(series: string): number {
  const lines = text.split('\n').filter((l) => l.startsWith(`${series} `));
  expect(lines, series).toHaveLength(1);
  return Number(lines[0]!.slice(series.length + 1));
}

/** A python3 that has prometheus_client, or why there is none. */
function openMetricsPython(): { python?: string; missing?: string } {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import prometheus_client.openmetrics.parser'], { encoding: 'utf8' });
    if (r.status === 0) return { python };
  }
  const missing = 'python3 with prometheus_client (Debian: python3-prometheus-client) is not installed';
  if (process.env.KUBE_PREFLIGHT_REQUIRE_REAL_COMPONENTS === '1')
    throw new Error(`KUBE_PREFLIGHT_REQUIRE_REAL_COMPONENTS=1 but ${missing}`);
  console.warn(`OpenMetrics parser test skipped: ${missing}`);
  return { missing };
}

describe('prometheus', () => {
  it('is OpenMetrics ending in # EOF, every metric a gauge', () => {
    expect(text.endsWith('\n# EOF\n')).toBe(true);
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]);
    expect(types.map((t) => t[0])).toEqual([
      'kube_preflight_report_info',
      'kube_preflight_verdict',
      'kube_preflight_last_success_timestamp_seconds',
      'kube_preflight_scan_duration_seconds',
      'kube_preflight_check_status',
      'kube_preflight_findings',
      'kube_preflight_certificate_expiry_seconds',
      'kube_preflight_certificate_not_after_timestamp_seconds',
      'kube_preflight_findings_waived',
    ]);
    expect(new Set(types.map((t) => t[1]))).toEqual(new Set(['gauge']));
  });

  it('gives the verdict, statuses, findings and certificate expiry of the sample', () => {
    expect(report.summary.verdict).toBe('NO-GO');
    expect(value('kube_preflight_verdict{verdict="NO-GO"}')).toBe(1);
    expect(value('kube_preflight_verdict{verdict="GO"}')).toBe(0);
    expect(value('kube_preflight_scan_duration_seconds')).toBe(2.5);
    expect(value('kube_preflight_last_success_timestamp_seconds')).toBe(Date.parse(report.metadata.generatedAt) / 1000);
    for (const c of report.checks) {
      expect(value(`kube_preflight_check_status{check="${c.id}",family="${c.family}",status="${c.status}"}`)).toBe(1);
      expect(value(`kube_preflight_findings{check="${c.id}",severity="critical"}`)).toBe(c.findings.critical);
    }
    expect(text.match(/^kube_preflight_check_status\{.*\} 1$/gm)).toHaveLength(report.checks.length);
    // web.example.com's certificate (notAfter 2026-12-03T06:51:50Z) as of the sample's clock.
    const now = Date.parse(report.metadata.now) / 1000;
    const web = 'check="certs-cluster-expiry",name="web.example.com",location="Secret prod/web-tls [tls.crt#0]"';
    expect(value(`kube_preflight_certificate_not_after_timestamp_seconds{${web}}`)).toBe(Date.parse('2026-12-03T06:51:50Z') / 1000);
    expect(value(`kube_preflight_certificate_expiry_seconds{${web}}`)).toBe(Date.parse('2026-12-03T06:51:50Z') / 1000 - now);
    expect(value('kube_preflight_certificate_expiry_seconds{check="certs-pki-expiry",name="apiserver",location="pki/apiserver.crt"}')).toBe(
      Date.parse('2027-11-23T06:50:34Z') / 1000 - now,
    );
  });

  it('leaves the scan duration out when it is not known (render of an earlier report)', async () => {
    expect(await renderPrometheus(report)).not.toContain('kube_preflight_scan_duration_seconds');
  });

  it('is accepted by the strict OpenMetrics parser of prometheus_client', (ctx) => {
    const { python } = openMetricsPython();
    if (!python) return ctx.skip();
    const script = [
      'import sys, json',
      'from prometheus_client.openmetrics.parser import text_string_to_metric_families',
      'fams = list(text_string_to_metric_families(sys.stdin.read()))',
      'print(json.dumps({f.name: [f.type, len(f.samples)] for f in fams}))',
    ].join('\n');
    const r = spawnSync(python, ['-c', script], { input: text, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const families = JSON.parse(r.stdout) as Record<string, [string, number]>;
    const n = report.checks.length;
    const certs = report.checks.reduce(
      (a, c) => a + (Array.isArray(c.details?.certificates) ? (c.details.certificates as unknown[]).length : 0),
      0,
    );
    expect(families).toEqual({
      kube_preflight_report_info: ['gauge', 1],
      kube_preflight_verdict: ['gauge', 4],
      kube_preflight_last_success_timestamp_seconds: ['gauge', 1],
      kube_preflight_scan_duration_seconds: ['gauge', 1],
      kube_preflight_check_status: ['gauge', n * 6],
      kube_preflight_findings: ['gauge', n * 5],
      kube_preflight_certificate_expiry_seconds: ['gauge', certs],
      kube_preflight_certificate_not_after_timestamp_seconds: ['gauge', certs],
      kube_preflight_findings_waived: ['gauge', 1],
    });
  });
});
