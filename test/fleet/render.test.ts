/**
 * The fleet renderers (src/fleet/render.ts) on a summary of real scans: text fits the width,
 * HTML is valid, self-contained (no remote asset, only its hashed inline style) and escapes
 * cluster data, markdown escapes cluster data, JSON is the summary.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FleetSummary } from '../../src/fleet/model.js';
import { FLEET_TEXT_ROWS, renderFleetHtml, renderFleetJson, renderFleetMarkdown, renderFleetText } from '../../src/fleet/render.js';
import { buildFleetSummary } from '../../src/fleet/summary.js';
import { gfmCells, htmlProblems, RAW_CONTROL } from '../render/validators.js';
import { K3S, LAB, NOW, scanDump } from './reports.js';

let s: FleetSummary;
/** The same fleet without the hostile cluster, whose long name no table can wrap. */
let plain: FleetSummary;
/** A cluster name and error as hostile as cluster data can be. */
const HOSTILE = 'evil<script>alert(1)</script>|[x](http://e.example)\u001b[31m';

beforeAll(async () => {
  const lab = await scanDump(LAB);
  const k3s = await scanDump(K3S);
  s = buildFleetSummary(
    [
      { cluster: 'lab', source: 'dump fixtures/dumps/lab-1.26', report: lab },
      { cluster: 'edge', source: 'dump fixtures/checks/versions-kubelet-skew/fail-k3s-suffixes', report: k3s },
      { cluster: HOSTILE, source: 'live, context x (kc)', error: `cannot reach the API server: ${HOSTILE}` },
    ],
    new Date(NOW),
  );
  plain = buildFleetSummary(
    [
      { cluster: 'lab', source: 'dump fixtures/dumps/lab-1.26', report: lab },
      { cluster: 'edge', source: 'dump fixtures/checks/versions-kubelet-skew/fail-k3s-suffixes', report: k3s },
    ],
    new Date(NOW),
  );
}, 60_000);

describe('text', () => {
  it.each([100, 140])('fits %i columns', (width) => {
    for (const line of renderFleetText(plain, width).split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
  });

  it('writes no control character of cluster data', () => {
    expect(renderFleetText(s, 100).replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
  });

  it('shows the verdict, every cluster, the top problems and certificates, and who was not scanned', () => {
    const text = renderFleetText(s, 220);
    expect(text.split('\n').slice(0, 2)).toEqual([
      'FLEET VERDICT: NO-GO',
      `3 clusters: 1 NO-GO (lab); 1 not scanned (${HOSTILE.replace('\u001b', '\\x1b')}); 1 INCOMPLETE (edge).`,
    ]);
    expect(text).toContain(`Worst problems across the fleet (${FLEET_TEXT_ROWS} of ${s.problems.length}; every problem is in fleet.json):`);
    expect(text).toMatch(
      /^critical \(blocks\) +pdb-blocking +1 +PDB prod\/web-pdb-blocks-drain \(maxUnavailable: 0\) blocks draining lab-worker-1, -2, -3 \(in lab\)$/m,
    );
    expect(text).toMatch(/^lab +NO-GO +8\/4\/9\/4\/2 +4 problems/m);
    expect(text).toMatch(
      /^edge +v1\.30\.2\+k3s1 +k3s +1\.31 \(assumed\) +fail \(3 findings\) +v1\.26\.15\+k3s1, v1\.27\.16\+k3s1, v1\.30\.2\+k3s1$/m,
    );
    expect(text).toMatch(/^9 d left +2026-12-03 +lab +web\.example\.com +Secret prod\/web-tls \[tls\.crt#0\]$/m);
    expect(text).toContain('Not scanned:');
  });
});

describe('HTML', () => {
  it('is valid, self-contained and escapes cluster data', async () => {
    const html = renderFleetHtml(s);
    expect(await htmlProblems(html)).toEqual([]);
    expect(html).not.toContain('<script');
    expect(html).toContain('evil&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(css, 'utf8').digest('base64');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/
      .exec(html)![1]!
      .replace(/&#x27;/g, "'")
      .replace(/&#x3D;/g, '=');
    expect(csp).toBe(`default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`);
    expect(html).toContain('<h1 id="verdict-title">NO-GO</h1>');
    expect(html).toContain('<section class="verdict verdict-nogo"');
    expect((html.match(/<tr class="sev-/g) ?? []).length).toBe(s.problems.length);
  });
});

describe('markdown', () => {
  it('has one table row per cluster, with cluster data escaped', () => {
    const md = renderFleetMarkdown(s);
    expect(md.startsWith('## kube-preflight fleet: **NO-GO**\n')).toBe(true);
    expect(md.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('](http');
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    const clusterRows = rows.slice(1, 4).map(gfmCells);
    expect(clusterRows.map((r) => r.length)).toEqual([4, 4, 4]);
    expect(clusterRows.map((r) => r[1]!.trim())).toEqual(['**INCOMPLETE**', 'not scanned', '**NO-GO**']);
  });
});

describe('JSON', () => {
  it('is the summary', () => {
    expect(JSON.parse(renderFleetJson(s))).toEqual(JSON.parse(JSON.stringify(s)));
    expect(renderFleetJson(s).endsWith('}\n')).toBe(true);
  });
});
