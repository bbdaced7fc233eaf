/**
 * Folding large groups of minor findings: 30 low findings of one rule are one row in HTML
 * (screen and print), text and markdown, with their count, namespaces and first resources;
 * report.json keeps all 30. The same group at or above --fail-on is never folded, nor is a group
 * of 20 or a group of medium findings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Severity } from '../../src/contract/check.js';
import { fingerprint } from '../../src/k8s/fingerprint.js';
import type { Finding, Report, TableRow } from '../../src/contract/report.js';
import { cutRows, cutRowsNote, foldFindings, foldUnknowns, foldedGroups, subjectLines } from '../../src/render/fold.js';
import { renderHtml } from '../../src/render/html.js';
import { renderJson } from '../../src/render/json.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { sampleReport } from './sample.js';
import { htmlProblems } from './validators.js';

const NAMESPACES = (i: number): string => (i < 15 ? 'shop' : i < 25 ? 'data' : 'web');

/** `n` findings of pdb-coverage/no-pdb on Deployments app-0… in shop (15), data (10), web (5). */
function noPdb(n: number, severity: Severity): Finding[] {
  return Array.from({ length: n }, (_, i) => {
    const resource = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NAMESPACES(i), name: `app-${i}` };
    return {
      checkId: 'pdb-coverage',
      rule: 'no-pdb',
      severity,
      title: 'Replicated workload without a PodDisruptionBudget',
      message: `Deployment ${NAMESPACES(i)}/app-${i} runs 3 replicas and no PodDisruptionBudget selects its pods.`,
      resource,
      evidence: { replicas: 3, pods: 3 },
      remediation: 'Add a PodDisruptionBudget with `maxUnavailable: 1`.',
      references: ['https://kubernetes.io/docs/tasks/run-application/configure-pdb/'],
      fingerprint: fingerprint('pdb-coverage', 'no-pdb', resource),
    };
  });
}

function withFindings(base: Report, added: Finding[], failOn: Report['metadata']['failOn'] = base.metadata.failOn): Report {
  return { ...base, metadata: { ...base.metadata, failOn }, findings: [...base.findings, ...added] };
}

/** Wide enough that no line of the folded block wraps. */
const TEXT = { color: false, width: 400 };
/** The 30 resources, each named (a folded row names up to 40). */
const ALL_THIRTY = Array.from({ length: 30 }, (_, i) => `${NAMESPACES(i)}/app-${i}`).join(', ');

let sample: Report;
beforeAll(async () => {
  sample = await sampleReport();
});

describe('foldFindings', () => {
  it('folds 30 non-blocking low findings of one rule into one group, in the place of the first', () => {
    const added = noPdb(30, 'low');
    const report = withFindings(sample, added);
    const items = foldFindings(report.findings, report);
    expect(items).toHaveLength(sample.findings.length + 1);
    const at = items.findIndex((i) => i.folded);
    expect(at).toBe(sample.findings.length);
    const g = items[at]!.folded!;
    expect(g.findings).toEqual(added);
    expect({ checkId: g.checkId, rule: g.rule, severity: g.severity, title: g.title, waived: g.waived }).toEqual({
      checkId: 'pdb-coverage',
      rule: 'no-pdb',
      severity: 'low',
      title: 'Replicated workload without a PodDisruptionBudget',
      waived: 0,
    });
    expect(g.subjects).toEqual({
      kinds: [{ name: 'Deployment', count: 30 }],
      kindsMore: 0,
      namespaces: [
        { name: 'shop', count: 15 },
        { name: 'data', count: 10 },
        { name: 'web', count: 5 },
      ],
      namespaceCount: 3,
      clusterScoped: 0,
      names: Array.from({ length: 30 }, (_, i) => `${NAMESPACES(i)}/app-${i}`),
      namesMore: 0,
    });
    expect(g.remediation).toBe('Add a PodDisruptionBudget with `maxUnavailable: 1`.');
    expect(g.references).toEqual(['https://kubernetes.io/docs/tasks/run-application/configure-pdb/']);
  });

  it('names the first 40 resources of a larger group and counts the rest', () => {
    const report = withFindings(sample, noPdb(45, 'low'));
    const g = foldedGroups(foldFindings(report.findings, report))[0]!;
    expect(g.subjects.names).toHaveLength(40);
    expect(g.subjects.namesMore).toBe(5);
    expect(subjectLines(g.subjects).find((l) => l.label === 'Resources')!.text).toBe(
      `${Array.from({ length: 40 }, (_, i) => `${NAMESPACES(i)}/app-${i}`).join(', ')}, … and 5 more; report.json lists all`,
    );
  });

  it('folds from 21 findings on, and never medium ones', () => {
    const twenty = withFindings(sample, noPdb(20, 'low'));
    expect(foldFindings(twenty.findings, twenty).some((i) => i.folded)).toBe(false);
    const twentyOne = withFindings(sample, noPdb(21, 'info'));
    expect(
      foldFindings(twentyOne.findings, twentyOne)
        .filter((i) => i.folded)
        .map((i) => i.folded!.findings.length),
    ).toEqual([21]);
    const medium = withFindings(sample, noPdb(30, 'medium'));
    expect(foldFindings(medium.findings, medium).some((i) => i.folded)).toBe(false);
  });

  it('never folds findings that block: --fail-on low gates them, unless the baseline already had them', () => {
    const gated = withFindings(sample, noPdb(30, 'low'), 'low');
    expect(foldFindings(gated.findings, gated).some((i) => i.folded)).toBe(false);
    const known = withFindings(
      sample,
      noPdb(30, 'low').map((f) => ({ ...f, baseline: 'existing' as const })),
      'low',
    );
    expect(
      foldFindings(known.findings, known)
        .filter((i) => i.folded)
        .map((i) => i.folded!.findings.length),
    ).toEqual([30]);
  });
});

describe('a folded group in each format', () => {
  let report: Report;
  beforeAll(() => {
    report = withFindings(sample, noPdb(30, 'low'));
  });

  it('HTML, on screen and in print: one row with the count, namespaces and first resources', async () => {
    for (const print of [false, true]) {
      const html = renderHtml(report, { print });
      expect(html.match(/<table class="findings folded">/g)).toHaveLength(1);
      expect(html).toContain(
        'Replicated workload without a PodDisruptionBudget <span class="muted">(30 findings, grouped, rule <code>no-pdb</code>)</span>',
      );
      expect(html).toContain('<td class="res">30 findings</td>');
      expect(html).toContain('<dt>Kinds</dt><dd>Deployment (30)</dd><dt>Namespaces (3)</dt><dd>shop (15), data (10), web (5)</dd>');
      expect(html).toContain(`<dt>Resources</dt><dd>${ALL_THIRTY}</dd>`);
      expect(html).toContain(
        '<strong>For example</strong>, Deployment shop/app-0: Deployment shop/app-0 runs 3 replicas and no PodDisruptionBudget selects its pods.',
      );
      expect(html).toContain(
        '<p class="fix-label">Fix (every finding of this rule)</p><p>Add a PodDisruptionBudget with <code>maxUnavailable: 1</code>.</p>',
      );
      expect(html).toContain(
        '<code>jq &#x27;.findings[] | select(.checkId &#x3D;&#x3D; &quot;pdb-coverage&quot; and .rule &#x3D;&#x3D; &quot;no-pdb&quot; and .severity &#x3D;&#x3D; &quot;low&quot;)&#x27; report.json</code>',
      );
      // No row of its own for any of the 30; the sample's findings keep theirs.
      for (const f of report.findings.slice(sample.findings.length)) expect(html).not.toContain(`id="f-${f.fingerprint}"`);
      for (const f of sample.findings) expect(html).toContain(`id="f-${f.fingerprint}`);
      expect(await htmlProblems(html)).toEqual([]);
    }
  });

  it('text and markdown: counts of a thousand and more have thousands separators', () => {
    const big = withFindings(sample, noPdb(1200, 'low'));
    const summary = { ...big.summary, findings: { ...big.summary.findings, low: big.summary.findings.low + 1200 } };
    const report = { ...big, summary };
    const total = (sample.findings.length + 1200).toLocaleString('en-US');
    expect(total).toContain(',');
    const text = renderText(report, TEXT);
    expect(text).toContain(`Findings (${total})`);
    expect(text).toContain(`Findings: ${total} (`);
    expect(text).toContain(`${summary.findings.low.toLocaleString('en-US')} low`);
    expect(renderMarkdown(report)).toContain(`${summary.findings.low.toLocaleString('en-US')} low`);
  });

  it('text: one block with the count, namespaces and first resources', () => {
    const text = renderText(report, TEXT);
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('LOW         pdb-coverage · no-pdb  30 findings, grouped'));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 6)).toEqual([
      '            Replicated workload without a PodDisruptionBudget',
      '            Kinds: Deployment (30)',
      '            Namespaces (3): shop (15), data (10), web (5)',
      `            Resources: ${ALL_THIRTY}`,
      '            Every finding is in report.json: jq \'.findings[] | select(.checkId == "pdb-coverage" and .rule == "no-pdb" and .severity == "low")\' report.json',
    ]);
    expect(text).not.toContain('Deployment shop/app-0');
    expect(text).toContain(`Findings (${report.findings.length})`);
  });

  it('markdown: one row with the count, namespaces and first resources', () => {
    const md = renderMarkdown(report);
    const rows = md.split('\n').filter((l) => l.includes('`no-pdb`'));
    expect(rows).toEqual([
      `| low (30 findings, grouped) | \`pdb-coverage\` / \`no-pdb\` | Kinds: Deployment \\(30\\); Namespaces \\(3\\): shop \\(15\\), data \\(10\\), web \\(5\\); Resources: ${ALL_THIRTY} | Replicated workload without a PodDisruptionBudget. Every finding is listed in report.json. | |`,
    ]);
    expect(md).toContain(`<summary>Other findings (${report.findings.length - 8}): not blocking, waived, or in the baseline</summary>`);
  });

  it('report.json keeps every finding', () => {
    const json = JSON.parse(renderJson(report)) as Report;
    expect(json.findings.filter((f) => f.rule === 'no-pdb')).toHaveLength(30);
  });
});

describe('a blocking group is never folded', () => {
  it('with --fail-on low, the 30 findings are 30 rows in every format', async () => {
    const report = withFindings(sample, noPdb(30, 'low'), 'low');
    const html = renderHtml(report, { print: true });
    expect(html).not.toContain('class="findings folded"');
    for (const f of report.findings.slice(sample.findings.length)) expect(html).toContain(`id="f-${f.fingerprint}"`);
    const text = renderText(report, TEXT);
    expect(text).not.toContain('grouped');
    expect(text.split('\n').filter((l) => /^LOW {9}pdb-coverage · no-pdb {2}Deployment /.test(l))).toHaveLength(30);
    const md = renderMarkdown(report);
    expect(md).not.toContain('grouped');
    expect(md.split('\n').filter((l) => l.includes('`no-pdb`'))).toHaveLength(30);
    expect(await htmlProblems(html)).toEqual([]);
  });
});

describe('cutRows: a large report table', () => {
  const rows = (n: number, flagged: (i: number) => boolean): Array<{ i: number; flagged: boolean }> =>
    Array.from({ length: n }, (_, i) => ({ i, flagged: flagged(i) }));

  it('draws a table of 40 rows whole, and says nothing', () => {
    const cut = cutRows(rows(40, (i) => i === 39));
    expect(cut.shown.map((r) => r.i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(cut.rest).toEqual([]);
    expect(cutRowsNote('versions-skew', cut)).toBeNull();
  });

  it('draws the first 40 of 10,001 unflagged rows and counts the rest', () => {
    const cut = cutRows(rows(10_001, () => false));
    expect(cut.shown.map((r) => r.i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(cut.rest).toHaveLength(9_961);
    expect(cut.restFlagged).toBe(0);
    expect(cutRowsNote('versions-skew', cut)).toBe(
      'Drawn: the first 40 of 10,001 rows; report.json lists all (.tables, id versions-skew).',
    );
  });

  it('draws every flagged row, wherever it is, then the first others, in table order', () => {
    const cut = cutRows(rows(5_000, (i) => i === 4_999 || i === 2_500 || i === 7));
    expect(cut.shown.map((r) => r.i)).toEqual([...Array.from({ length: 38 }, (_, i) => i), 2_500, 4_999]);
    expect(cut.restFlagged).toBe(0);
    expect(cutRowsNote('pdb-drain-order', cut)).toBe(
      'Drawn: 40 of 5,000 rows: the 3 flagged and the first 37 others; report.json lists all (.tables, id pdb-drain-order).',
    );
  });

  it('with more than 40 flagged rows, draws the first 40 of them and counts the others', () => {
    const cut = cutRows(rows(200, (i) => i % 2 === 1));
    expect(cut.shown.map((r) => r.i)).toEqual(Array.from({ length: 40 }, (_, i) => 2 * i + 1));
    expect(cut.rest).toHaveLength(160);
    expect(cut.restFlagged).toBe(60);
    expect(cutRowsNote('rbac-access-review', cut)).toBe(
      'Drawn: 40 of 200 rows: the first 40 flagged; 60 flagged rows left out; report.json lists all (.tables, id rbac-access-review).',
    );
  });
});

describe('foldUnknowns: subjects not assessed', () => {
  const proxy = (i: number) => ({
    label: `Pod kube-system/kube-proxy-${i}`,
    reason: 'image tag "v1" is not a Kubernetes 1.x version',
    checkIds: ['versions-kube-proxy-skew'],
  });
  const tls = {
    label: 'input apiserver-serving-cert',
    reason: 'missing (not in the dump: no tls/apiserver-serving.pem)',
    checkIds: ['certs-chain', 'certs-cluster-expiry'],
  };

  it('keeps 20 subjects with one reason as 20 entries', () => {
    const entries = [tls, ...Array.from({ length: 20 }, (_, i) => proxy(i))];
    expect(foldUnknowns(entries)).toEqual(entries.map((e) => ({ ...e, count: 1 })));
  });

  it('folds 5,000 subjects with one reason into one entry, in the place of the first, naming 40', () => {
    const entries = [proxy(0), tls, ...Array.from({ length: 4_999 }, (_, i) => proxy(i + 1))];
    const names = Array.from({ length: 40 }, (_, i) => `Pod kube-system/kube-proxy-${i}`).join(', ');
    expect(foldUnknowns(entries)).toEqual([
      {
        label: `5,000 subjects (${names}, … and 4,960 more; report.json lists all)`,
        reason: 'image tag "v1" is not a Kubernetes 1.x version',
        checkIds: ['versions-kube-proxy-skew'],
        count: 5_000,
      },
      { ...tls, count: 1 },
    ]);
  });

  it('does not fold one reason across different checks', () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({ ...proxy(i), checkIds: [i % 2 ? 'a' : 'b'] }));
    expect(foldUnknowns(entries).map((e) => [e.checkIds[0], e.count])).toEqual([
      ['b', 25],
      ['a', 25],
    ]);
  });
});

describe('a large table and many subjects not assessed, in each format', () => {
  /** The sample with a 60-row drain order (node-17 blocked) and 30 kube-proxy Pods not assessed. */
  let report: Report;
  const reason = 'image tag "v1" is not a Kubernetes 1.x version';
  beforeAll(() => {
    const order = sample.tables!.find((t) => t.id === 'pdb-drain-order')!;
    const rows: TableRow[] = Array.from({ length: 60 }, (_, i): TableRow =>
      i === 17
        ? { cells: { node: 'node-17', wave: null, blockedBy: ['PDB shop/web'], evicted: 3, canDrain: 'no' }, flagged: true }
        : { cells: { node: `node-${i}`, wave: i + 1, blockedBy: null, evicted: 2, canDrain: 'yes' } },
    );
    const unknowns = Array.from({ length: 30 }, (_, i) => ({
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', name: `kube-proxy-${i}` },
      reason,
    }));
    report = {
      ...sample,
      tables: sample.tables!.map((t) => (t === order ? { ...order, rows } : t)),
      checks: sample.checks.map((c) => (c.id === 'versions-kube-proxy-skew' ? { ...c, unknowns } : c)),
    };
  });
  const names = Array.from({ length: 30 }, (_, i) => `Pod kube-system/kube-proxy-${i}`).join(', ');

  it('HTML: 40 rows drawn (the flagged one among them), the rest collapsed on screen, counted in print', async () => {
    const table = (html: string): string => html.slice(html.indexOf('id="table-pdb-drain-order"'), html.indexOf('id="check-pdb-'));
    const screen = table(renderHtml(report, { print: false }));
    const print = table(renderHtml(report, { print: true }));
    for (const t of [screen, print]) {
      expect(t).toContain('Drain order <span class="muted">(60 rows, 1 flagged)</span>');
      expect(t).toContain('<td class="bad nowrap">node-17</td>');
    }
    expect(print.match(/<tr/g)).toHaveLength(41); // the header and 40 rows
    expect(print).not.toContain('node-40<');
    expect(print).toContain(
      '<p class="table-note">Drawn: 40 of 60 rows: the 1 flagged and the first 39 others; report.json lists all (.tables, id pdb-drain-order).</p>',
    );
    expect(screen.match(/<tr/g)).toHaveLength(62); // two headers and 60 rows
    expect(screen).toContain('<summary>Show 20 more rows</summary>');
    expect(screen).not.toContain('Drawn:');
    const html = renderHtml(report, { print: true });
    expect(html).toContain('<p><strong>Not assessed (30):</strong></p>');
    const escaped = reason.replace(/"/g, '&quot;');
    expect(html).toContain(`<li>30 subjects (${names}): ${escaped}</li>`);
    expect(html).toContain(`<td>30 subjects (${names})</td><td>${escaped}</td>`);
    expect(await htmlProblems(renderHtml(report, { print: false }))).toEqual([]);
  });

  it('text: 40 rows and the cut said; the 30 subjects as one entry', () => {
    const text = renderText(report, TEXT);
    expect(text).toContain('Drain order (pdb, 60 rows)');
    expect(text).toMatch(/^! +node-17 /m);
    expect(text).toMatch(/^ +node-38 /m);
    expect(text).not.toMatch(/^ +node-40 /m);
    expect(text).toContain(
      'Drawn: 40 of 60 rows: the 1 flagged and the first 39 others; report.json lists all (.tables, id pdb-drain-order).',
    );
    expect(text.replace(/\s+/g, ' ')).toContain(` 30 subjects (${names}) versions-kube-proxy-skew ${reason} `);
  });

  it('markdown: 40 rows and the cut said; the 30 subjects as one item', () => {
    const md = renderMarkdown(report);
    const rows = md.split('\n').filter((l) => /^\| (\*\*!\*\*)? \| node-\d+ \|/.test(l));
    expect(rows).toHaveLength(40);
    expect(md).toContain(
      'Drawn: 40 of 60 rows: the 1 flagged and the first 39 others; report.json lists all \\(.tables, id pdb-drain-order\\).',
    );
    expect(md).toContain('36 subjects not assessed</summary>'); // the sample's 6 others and these 30
    expect(md).toContain(`- \`versions-kube-proxy-skew\` 30 subjects \\(${names}\\): image tag "v1" is not a Kubernetes 1.x version`);
  });
});
