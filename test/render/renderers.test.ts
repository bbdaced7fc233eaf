/**
 * The renderers on hostile and large reports: everything from the cluster is escaped in every
 * format; waivers, baselines, errors and unknown subjects show up where they should; the HTML
 * of thousands of findings is grouped and collapsed, the markdown fits a GitHub comment.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticReport } from '../../bench/synthetic-report.js';
import { applyBaseline, diffReports } from '../../src/report/baseline.js';
import { fingerprint } from '../../src/k8s/fingerprint.js';
import type { Finding, Report } from '../../src/contract/report.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { renderDiffMarkdown, renderDiffText } from '../../src/render/diff.js';
import { markdownText } from '../../src/render/escape.js';
import { renderHtml } from '../../src/render/html.js';
import { renderJunit } from '../../src/render/junit.js';
import { MARKDOWN_LIMIT, renderMarkdown } from '../../src/render/markdown.js';
import { renderSarif } from '../../src/render/sarif.js';
import { renderText } from '../../src/render/text.js';
import { problemsOf } from '../../src/report/problems.js';
import { sampleReport } from './sample.js';
import { gfmCells, htmlProblems, parseXml, RAW_CONTROL, sarifProblems } from './validators.js';

const EVIL = '<script>alert(1)</script> | @admins "q" & \u0007';

function hostile(base: Report): Report {
  const resource = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'evil', name: 'x"><img src=x onerror=alert(1)>' };
  const f: Finding = {
    checkId: 'versions-node-readiness',
    rule: 'node-not-ready',
    severity: 'critical',
    title: 'Node not Ready',
    message: EVIL,
    resource,
    evidence: { '<b>key</b>': EVIL, nested: { deep: '</dd><script>x</script>' }, line: 7 },
    remediation: 'Run `kubectl delete <script>` then restart.',
    references: ['javascript:alert(1)', 'https://example.com/?a=1&b=<2>'],
    fingerprint: fingerprint('versions-node-readiness', 'node-not-ready', resource),
  };
  const file = { file: 'deploy/app.yaml', field: 'spec.template' };
  const g: Finding = {
    ...f,
    rule: 'manifest',
    severity: 'high',
    message: 'In a manifest.',
    resource: file,
    fingerprint: fingerprint('versions-node-readiness', 'manifest', file),
    waiver: { reason: 'accepted <risk>', owner: 'ops@example.com', expires: '2027-01-01' },
  };
  const h: Finding = {
    ...f,
    rule: 'old',
    severity: 'medium',
    message: 'Already known.',
    fingerprint: fingerprint('versions-node-readiness', 'old', resource),
    baseline: 'existing',
  };
  const checks = base.checks.map((c) =>
    c.id === 'versions-node-readiness' ? { ...c, unknowns: [{ resource: { kind: 'Node', name: '<n>' }, reason: 'status <stale>' }] } : c,
  );
  checks.push({
    id: 'backup-fake-error',
    family: 'backup',
    title: 'An errored check',
    status: 'error',
    reason: 'input <x> is missing',
    evaluated: 0,
    durationMs: 0,
    findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    unknowns: [],
    origin: 'builtin',
  });
  const permissions = {
    reviewed: 40,
    denied: [
      {
        request: 'list secrets (all namespaces) <x>',
        inputs: ['tls-secrets'],
        requiredBy: ['certs-cluster-expiry'],
        optionalFor: [],
        reason: 'RBAC: <denied>',
      },
    ],
  };
  return { ...base, checks, findings: [f, g, h, ...base.findings], permissions };
}

let sample: Report;
let evil: Report;
beforeAll(async () => {
  sample = await sampleReport();
  evil = hostile(sample);
});

describe('HTML: what blocks the upgrade', () => {
  it('lists every blocking problem, each with its findings linked, never cut at ten', () => {
    for (const report of [sample, syntheticReport(600)]) {
      const blocking = problemsOf(report).filter((p) => p.blocking);
      const html = renderHtml(report);
      const section = html.slice(html.indexOf('id="blocking-title"'), html.indexOf('id="overview-title"'));
      const rows = section.match(/<tr class="sev-/g) ?? [];
      expect(rows).toHaveLength(blocking.length);
      for (const p of blocking)
        expect(section).toContain(
          `<p class="ftitle">${p.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;')}</p>`,
        );
      expect((section.match(/<a href="#f-/g) ?? []).length).toBe(blocking.reduce((n, p) => n + p.findings.length, 0));
    }
    expect(problemsOf(sample).filter((p) => p.blocking)).toHaveLength(4);
    expect(problemsOf(syntheticReport(600)).filter((p) => p.blocking).length).toBeGreaterThan(10);
  });
});

describe('escaping', () => {
  it('HTML escapes cluster data and links only http(s) references', async () => {
    const html = renderHtml(evil);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('</dd><script>');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<code>kubectl delete &lt;script&gt;</code>');
    expect(await htmlProblems(html)).toEqual([]);
  });

  it('markdown escapes HTML, pipes, mentions and control characters', () => {
    const md = renderMarkdown(evil);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('@admins');
    expect(md).toContain('| \\<script\\>alert\\(1\\)\\</script\\> \\| &#64;admins "q" \\& \\\\x07 |');
  });

  it('JUnit is well-formed and keeps the text (control characters replaced)', () => {
    const xml = renderJunit(evil);
    expect(() => parseXml(xml)).not.toThrow();
    expect(xml).not.toContain('\u0007');
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('SARIF is valid and keeps the text', () => {
    const sarif = renderSarif(evil);
    expect(sarifProblems(sarif)).toEqual([]);
    expect(JSON.parse(sarif).runs[0].results[0].message.text).toBe(EVIL);
  });
});

/** ESC (CSI, OSC title, OSC 8 hyperlink), CR, BS, NUL, DEL, C1 CSI and a bidi override. */
const TERMINAL_EVIL = 'n\u001b[2J\u001b]0;pwned\u0007\u001b]8;;http://evil\u001b\\x\rFAKE\b\u0000\u007f\u009b1m\u202egnp';
const TERMINAL_SHOWN = 'n\\x1b[2J\\x1b]0;pwned\\x07\\x1b]8;;http://evil\\x1b\\x\\rFAKE\\b\\x00\\x7f\\x9b1m\\u202egnp';

/** The sample with control characters in a resource name, a message, an etcd member and metric label, a waiver owner, a warning, an unknown and a forbidden read. */
function terminalHostile(base: Report): Report {
  const resource = { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: TERMINAL_EVIL };
  const f: Finding = {
    checkId: 'versions-node-readiness',
    rule: 'node-not-ready',
    severity: 'critical',
    title: 'Node not Ready',
    message: `member ${TERMINAL_EVIL} label client="${TERMINAL_EVIL}"`,
    resource,
    evidence: { member: TERMINAL_EVIL },
    remediation: `kubectl delete secret ${TERMINAL_EVIL}`,
    references: [],
    fingerprint: fingerprint('versions-node-readiness', 'node-not-ready', resource),
    waiver: { reason: TERMINAL_EVIL, owner: TERMINAL_EVIL, expires: '2027-01-01' },
  };
  const waivers = {
    file: 'w.yaml',
    entries: [
      {
        checkId: 'versions-node-readiness',
        resource: { name: TERMINAL_EVIL },
        reason: 'r',
        owner: TERMINAL_EVIL,
        expires: '2027-01-01',
        index: 0,
        matched: 1,
        state: 'applied' as const,
      },
    ],
  };
  const checks = base.checks.map((c) =>
    c.id === 'versions-node-readiness'
      ? { ...c, unknowns: [{ resource: { kind: 'Node', name: TERMINAL_EVIL }, reason: TERMINAL_EVIL }] }
      : c,
  );
  const permissions = {
    reviewed: 1,
    denied: [
      { request: `get ${TERMINAL_EVIL}`, inputs: ['x'], requiredBy: ['certs-cluster-expiry'], optionalFor: [], reason: TERMINAL_EVIL },
    ],
  };
  return {
    ...base,
    metadata: { ...base.metadata, warnings: [TERMINAL_EVIL] },
    checks,
    findings: [f, ...base.findings],
    waivers,
    permissions,
  };
}

describe('terminal text', () => {
  it('shows control and bidi characters of the data escaped, in colour or not', () => {
    const report = terminalHostile(sample);
    expect(reportSchemaErrors(report)).toEqual([]);
    for (const color of [false, true]) {
      const text = renderText(report, { color, width: 400 });
      // The renderer's own newlines and (with colour) SGR codes are the only control characters left.
      // eslint-disable-next-line no-control-regex
      expect(text.replace(/\n/g, '').replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(RAW_CONTROL);
      expect(text).toContain(`Secret prod/${TERMINAL_SHOWN}`);
      expect(text).toContain(`owner ${TERMINAL_SHOWN}, expires 2027-01-01`);
      expect(text).toContain(`  - ${TERMINAL_SHOWN}`);
      expect(text).toContain(`  forbidden: get ${TERMINAL_SHOWN} — needed by certs-cluster-expiry`);
    }
  });

  it('diff text shows them escaped as well', () => {
    const report = terminalHostile(sample);
    const text = renderDiffText(diffReports(sample, report));
    expect(text.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
    expect(text).toContain(`Secret prod/${TERMINAL_SHOWN}`);
  });

  it('JUnit stays well-formed and SARIF stays exact JSON', () => {
    const report = terminalHostile(sample);
    const xml = renderJunit(report);
    expect(() => parseXml(xml)).not.toThrow();
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const sarif = renderSarif(report);
    expect(sarifProblems(sarif)).toEqual([]);
    expect(JSON.parse(sarif).runs[0].results[0].message.text).toBe(report.findings[0]!.message);
  });
});

describe('markdown of hostile data', () => {
  const MD_EVIL = '[x](http://evil) ![](http://evil/i.png) a\\|b <img src=x onerror=alert(1)>\nnext';
  const resource = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns|x', name: '*bold* _em_ #h' };

  it('renders links, images, HTML and pipes as literal text, every row with its cells', () => {
    const f: Finding = {
      ...sample.findings[0]!,
      severity: 'critical',
      message: MD_EVIL,
      resource,
      fingerprint: fingerprint('x-y', 'r', resource),
      evidence: {},
    };
    const md = renderMarkdown({ ...sample, findings: [f, ...sample.findings] });
    expect(md).toContain(
      `| **critical** | \`${f.checkId}\` / \`${f.rule}\` | ConfigMap ns\\|x/\\*bold\\* \\_em\\_ \\#h | ` +
        '\\[x\\]\\(http\\://evil\\) \\!\\[\\]\\(http\\://evil/i.png\\) a\\\\\\|b \\<img src=x onerror=alert\\(1\\)\\> next |  |',
    );
    // Every row of a table has its header's cells: 6 in the header table, 5 in the findings
    // tables, one per column (and the ! mark) in each family table (report.tables).
    const tables: string[][] = [];
    let inTable = false;
    for (const line of md.split('\n')) {
      if (line.startsWith('| ') || (inTable && line.startsWith('|'))) {
        if (!inTable) tables.push([]);
        tables.at(-1)!.push(line);
      }
      inTable = line.startsWith('|');
    }
    expect(tables.length).toBe(3 + (sample.tables ?? []).length);
    for (const [head, , ...rows] of tables) {
      const n = gfmCells(head!).length;
      const family = sample.tables!.map((t) => [
        ...(t.rows.some((r) => r.flagged) ? ['!'] : []),
        ...t.columns.map((c) => markdownText(c.label)),
      ]);
      if (head!.startsWith('| cluster')) expect(n).toBe(6);
      else if (head!.startsWith('| severity')) expect(n).toBe(5);
      else expect(family).toContainEqual(gfmCells(head!).map((c) => c.trim()));
      for (const line of rows) expect(gfmCells(line).length, line).toBe(n);
    }
  });

  it('diff markdown escapes the same way', () => {
    const after: Report = {
      ...sample,
      findings: [{ ...sample.findings[0]!, message: MD_EVIL, resource, fingerprint: fingerprint('x-y', 'r', resource) }],
    };
    const md = renderDiffMarkdown(diffReports(sample, after));
    expect(md).toContain('| ConfigMap ns\\|x/\\*bold\\* \\_em\\_ \\#h |');
    for (const line of md
      .split('\n')
      .filter(
        (l) => l.startsWith('| ') && !l.startsWith('| check') && !l.startsWith('| from') && !l.startsWith('| to') && !l.startsWith('| |'),
      )) {
      expect(gfmCells(line).length, line).toBe(5);
    }
  });
});

describe('SARIF', () => {
  it('has a rule per check rule, locations, suppressions, baseline states and coverage notifications', () => {
    const run = JSON.parse(renderSarif(evil)).runs[0];
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual([...new Set(evil.findings.map((f) => `${f.checkId}/${f.rule}`))].sort());
    const byRule = (rule: string) => run.results.find((r: { ruleId: string }) => r.ruleId === `versions-node-readiness/${rule}`);
    expect(byRule('node-not-ready').level).toBe('error');
    expect(byRule('node-not-ready').locations[0].logicalLocations[0]).toMatchObject({
      kind: 'resource',
      name: 'ConfigMap evil/x"><img src=x onerror=alert(1)>',
    });
    expect(byRule('node-not-ready').locations[0].physicalLocation.artifactLocation.uri).toMatch(/^kubernetes\/evil\/ConfigMap\/x%22/);
    expect(byRule('manifest').locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'deploy/app.yaml' },
      region: { startLine: 7 },
    });
    expect(byRule('manifest').suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted' });
    expect(byRule('old').baselineState).toBe('unchanged');
    expect(byRule('node-not-ready').partialFingerprints['kubePreflight/v1']).toBe(evil.findings[0]!.fingerprint);
    const notes = run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
    expect(notes).toContain('backup-fake-error: error: input <x> is missing');
    expect(notes).toContain('versions-node-readiness: not assessed: Node <n>: status <stale>');
    expect(notes).toContain('forbidden read list secrets (all namespaces) <x>: certs-cluster-expiry in error');
    expect(run.invocations[0].executionSuccessful).toBe(false);
  });

  it('takes the line of a --manifests finding from its evidence sources', () => {
    const file = { file: 'deploy/web.yaml', field: 'extensions/v1beta1 Ingress prod/web' };
    const f: Finding = {
      ...evil.findings[0]!,
      resource: file,
      evidence: {
        sources: [
          { source: 'helm', release: 'x' },
          { source: 'manifest', file: 'deploy/web.yaml', line: 10, doc: 2 },
        ],
      },
      fingerprint: fingerprint('versions-node-readiness', 'node-not-ready', file),
    };
    const run = JSON.parse(renderSarif({ ...sample, findings: [f] })).runs[0];
    expect(run.results[0].locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: 'deploy/web.yaml' }, region: { startLine: 10 } },
      message: { text: 'extensions/v1beta1 Ingress prod/web' },
    });
  });

  it('the validator rejects an invalid log', () => {
    expect(sarifProblems('{"version":"2.1.0","runs":[{"tool":{"driver":{}}}]}')).not.toEqual([]);
  });
});

describe('JUnit', () => {
  it('gating findings fail, waived and baseline findings pass with why in system-out, checks not fully assessed error with their unknowns', () => {
    const xml = renderJunit(evil);
    expect(xml).toMatch(
      /<testcase classname="kube-preflight.versions.versions-node-readiness" name="node-not-ready: ConfigMap evil\/x&quot;&gt;&lt;img[^"]*" time="0.000">\s*<failure type="critical"/,
    );
    expect(xml).toMatch(
      /name="manifest: deploy\/app.yaml \[spec.template\]" time="0.000">\s*<system-out>Does not gate: waived until 2027-01-01 by ops@example.com: accepted &lt;risk&gt;.\n/,
    );
    expect(xml).toMatch(/name="old: ConfigMap evil\/[^"]*" time="0.000">\s*<system-out>Does not gate: already in the baseline.\n/);
    expect(xml).toMatch(
      /name="backup-fake-error" time="0.000">\s*<error type="error" message="input &lt;x&gt; is missing">input &lt;x&gt; is missing<\/error>/,
    );
    expect(xml).toMatch(/<error type="[a-z]+" message="[^"]*">[^<]*not assessed: Node &lt;n&gt;: status &lt;stale&gt;/);
  });
});

describe('against a baseline', () => {
  it('text, markdown and HTML count and mark the findings that changed rule or severity', async () => {
    const cert = sample.findings.find((f) => f.checkId === 'certs-cluster-expiry')!;
    const before = {
      ...cert,
      rule: 'expired',
      severity: 'critical' as const,
      fingerprint: fingerprint(cert.checkId, 'expired', cert.resource),
    };
    const b = applyBaseline(sample.findings, { ...sample, findings: sample.findings.map((f) => (f === cert ? before : f)) }, 'old.json');
    const report: Report = { ...sample, findings: b.findings, baseline: b.summary };
    expect(reportSchemaErrors(report)).toEqual([]);
    const n = sample.findings.length - 1;
    const text = renderText(report, { color: false, width: 200 });
    expect(text).toContain(`HIGH (was critical)  certs-cluster-expiry · expires-soon  Secret prod/web-tls [tls.crt#0]`);
    expect(text).toContain(`Baseline old.json (${sample.metadata.generatedAt}): 0 new, ${n} still present, 1 changed, 0 resolved`);
    expect(text).toContain(
      '  changed: critical → high (rule expired → expires-soon) certs-cluster-expiry Secret prod/web-tls [tls.crt#0] — Certificate expires within warnDays',
    );
    expect(renderMarkdown(report)).toContain(`Against the baseline \`old.json\`: 0 new, ${n} still present, 1 changed, 0 resolved.`);
    const html = renderHtml(report);
    expect(html).toContain(
      `${n} still present (they do not count toward the verdict), 1 changed rule or severity (they count only when their severity got worse), 0 resolved.`,
    );
    expect(html).toContain('<span class="badge changed">changed</span>');
    expect(await htmlProblems(html)).toEqual([]);
  });
});

describe('HTML', () => {
  it('lists what was not assessed: errored checks, unknown subjects, families not scanned', () => {
    const certs = new Set(evil.checks.filter((c) => c.family === 'certs').map((c) => c.id));
    const html = renderHtml({
      ...evil,
      checks: evil.checks.filter((c) => !certs.has(c.id)),
      findings: evil.findings.filter((f) => !certs.has(f.checkId)),
    });
    const coverage = html.slice(html.indexOf('id="coverage"'));
    expect(coverage).toContain('input &lt;x&gt; is missing');
    expect(coverage).toContain('status &lt;stale&gt;');
    expect(coverage).toContain('<td class="mono">list secrets (all namespaces) &lt;x&gt;</td><td>certs-cluster-expiry</td>');
    expect(coverage).toMatch(/Families not in this scan:<\/strong> [^<]*Certificates/);
  });

  it('marks waived, baseline and blocking findings', () => {
    const html = renderHtml(evil);
    expect(html).toContain('<span class="badge waived">waived</span>');
    expect(html).toContain('<span class="badge existing">existing</span>');
    expect(html).toContain('<span class="badge blocks">blocks</span>');
  });

  it('groups a large check by rule and collapses rows past 50; print lists the rest compactly', async () => {
    const big = syntheticReport(600);
    expect(reportSchemaErrors(big)).toEqual([]);
    const html = renderHtml(big);
    expect(html).toMatch(/<details class="more">\s*<summary>Show 190 more findings of API removed in the target version<\/summary>/);
    expect(await htmlProblems(html)).toEqual([]);
    const print = renderHtml(big, { print: true });
    expect(print).not.toContain('class="more"');
    expect(print).toContain('The other 220 findings of API removed in the target version, without their evidence');
    expect(await htmlProblems(print)).toEqual([]);
  });
});

describe('markdown', () => {
  it('fits a GitHub comment even for 5,000 findings, and says what it left out', () => {
    const md = renderMarkdown(syntheticReport(5000));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toMatch(/… and \d+ more blocking findings, left out to fit a comment/);
  });
});
