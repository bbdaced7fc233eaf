/**
 * The trend renderings with hostile values from the reports (resource names, file names):
 * escaped in the HTML, inert in markdown, shown escaped on the terminal. Also the charts'
 * empty states, and a single run.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceRef } from '../../src/contract/resource.js';
import { fingerprint } from '../../src/k8s/fingerprint.js';
import { buildTrend, type RunDigest } from '../../src/trend/build.js';
import { trendCharts } from '../../src/trend/charts.js';
import { renderTrendHtml } from '../../src/trend/html.js';
import { renderTrendMarkdown } from '../../src/trend/markdown.js';
import { trendSchemaErrors } from '../../src/trend/schema.js';
import { renderTrendText } from '../../src/trend/text.js';
import { htmlProblems } from '../render/validators.js';

const EVIL_NAME = '<script>alert(1)</script>\u001b[31m|x|';
const EVIL: ResourceRef = { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: EVIL_NAME };

function digest(file: string, now: string, withFinding: boolean): RunDigest {
  const f = {
    fingerprint: fingerprint('certs-cluster-expiry', 'expired', EVIL),
    checkId: 'certs-cluster-expiry',
    rule: 'expired',
    severity: 'critical' as const,
    title: 'Expired',
    resource: EVIL,
    waived: false,
  };
  return {
    file,
    generatedAt: now,
    now,
    verdict: withFinding ? 'NO-GO' : 'GO',
    catalogVersion: 'c1',
    cluster: { uid: 'u1' },
    findings: withFinding ? [f] : [],
    checks: new Map([['certs-cluster-expiry', { status: withFinding ? 'fail' : 'pass', unknowns: [] }]]),
    certificates: [
      {
        checkId: 'certs-cluster-expiry',
        name: '<b>evil</b>',
        where: `Secret prod/${EVIL_NAME}`,
        notAfter: '2026-11-01T00:00:00Z',
        daysLeft: withFinding ? -1 : 300,
      },
    ],
    clusterAdminCount: null,
  };
}

describe('trend renderings', () => {
  const t = buildTrend(
    [digest('/r/<i>1</i>/report.json', '2026-11-02T00:00:00Z', true), digest('/r/2/report.json', '2026-11-03T00:00:00Z', false)],
    [],
  );

  it('escape what comes from the reports', async () => {
    expect(trendSchemaErrors(t)).toEqual([]);
    const html = renderTrendHtml(t);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>evil</b>');
    expect(html).not.toContain('<i>1</i>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(await htmlProblems(html)).toEqual([]);
    const md = renderTrendMarkdown(t);
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\|x\\|');
    const text = renderTrendText(t, 200);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('\\x1b[31m|x|');
  });

  it('say why a chart is empty', () => {
    const charts = trendCharts(t);
    expect(charts.map((c) => [c.id, c.empty])).toEqual([
      ['verdicts', null],
      ['findings', null],
      ['certificates', null],
      ['admins', 'No run reports it (rbac-cluster-admins did not run or failed).'],
    ]);
    const none = buildTrend([{ ...digest('a.json', '2026-11-02T00:00:00Z', false), certificates: null }], []);
    expect(trendCharts(none)[2]!.empty).toBe('No run has certificate data (the certs checks did not run or failed).');
  });

  it('draw a single run in the middle of a two-day axis (plot 82–714 px)', () => {
    const one = buildTrend([digest('a.json', '2026-11-02T00:00:00Z', true)], []);
    const findings = trendCharts(one)[1]!;
    expect(findings.points).toEqual([{ cx: 398, cy: 14, cls: 'open', title: '2026-11-02: 1 open' }]);
    expect(findings.bars).toEqual([expect.objectContaining({ cls: 'opened', title: '2026-11-02: 1 opened' })]);
    expect(renderTrendText(one, 120)).toContain('1 opened, 0 closed, 1 open after the last run; median time to fix: none closed.');
  });
});
