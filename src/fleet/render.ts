/**
 * The fleet summary as text (terminal tables, `fleet.txt`), markdown (`fleet.md`), HTML
 * (`fleet.html`: one self-contained page styled by the single-cluster report's
 * `templates/report.css`, from `templates/fleet.hbs`, no script, no remote asset) and JSON
 * (`fleet.json`: `JSON.stringify(summary, null, 2)` and a line break). Pure functions of the
 * summary. Cluster data is not trusted: text goes through `terminalSafe`, markdown through
 * `markdownText`/`markdownCode`, HTML through Handlebars' escaping.
 */
import { wrapAnsi } from 'fast-wrap-ansi';
import { SEVERITIES } from '../contract/check.js';
import { DISTRIBUTION_LABELS } from '../k8s/distribution.js';
import { markdownCode, markdownText, terminalSafe } from '../render/escape.js';
import { standalonePage } from '../render/page.js';
import { plainTable } from '../render/table.js';
import type { FleetCluster, FleetSummary, FleetVersions } from './model.js';

/** Formats a fleet summary is written in, and their file names in `-o DIR`. */
export const FLEET_FORMATS = ['json', 'html', 'markdown', 'text'] as const;
export type FleetFormat = (typeof FLEET_FORMATS)[number];
export const FLEET_FILE_NAMES: Record<FleetFormat, string> = {
  json: 'fleet.json',
  html: 'fleet.html',
  markdown: 'fleet.md',
  text: 'fleet.txt',
};

/** Problems and certificates the text and markdown list at most (the JSON and HTML hold all the summary has). */
export const FLEET_TEXT_ROWS = 10;

/** `2 critical, 1 high` (unwaived findings at severities with any), or `none`. */
function findingCounts(c: FleetCluster): string {
  if (!c.findings) return '';
  const parts = SEVERITIES.filter((s) => c.findings![s] > 0).map((s) => `${c.findings![s]} ${s}`);
  return parts.length ? parts.join(', ') : 'none';
}

function distribution(v: FleetVersions): string {
  return v.distribution ? DISTRIBUTION_LABELS[v.distribution] : '';
}

function target(v: FleetVersions): string {
  if (v.targetVersion) return v.targetVersion;
  return v.assumedTargetVersion ? `${v.assumedTargetVersion} (assumed)` : '';
}

/** Skew check statuses from worst to best. */
const STATUS_ORDER = ['fail', 'error', 'incomplete', 'pass', 'not-applicable', 'skipped'];

/** The worst status of the skew checks and their findings: `fail (3 findings)`. */
function skewWorst(v: FleetVersions): string {
  const worst = [...v.skew].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status))[0];
  const n = v.skew.reduce((sum, x) => sum + x.findings, 0);
  return worst ? `${worst.status}${n ? ` (${n} finding${n === 1 ? '' : 's'})` : ''}` : 'not run';
}

/** `8/4/9/4/2`: unwaived findings by severity, critical first. */
function severityCounts(c: FleetCluster): string {
  return c.findings ? SEVERITIES.map((s) => c.findings![s]).join('/') : '';
}

/** `kubelet-skew fail (2)`, one per skew check. */
function skewText(v: FleetVersions): string {
  return v.skew.map((s) => `${s.checkId.replace(/^versions-/, '')} ${s.status}${s.findings ? ` (${s.findings})` : ''}`).join(', ');
}

function days(n: number): string {
  return n < 0 ? `expired ${-n} d ago` : `${n} d left`;
}

function more(shown: number, total: number, what: string): string {
  return total > shown ? ` (${shown} of ${total}; every ${what} is in fleet.json)` : '';
}

/** The summary as terminal text, `width` columns wide (tables wrap their widest column to fit). */
export function renderFleetText(s: FleetSummary, width = 120): string {
  const t = (x: string): string => terminalSafe(x);
  const out: string[] = [];
  out.push(`FLEET VERDICT: ${s.summary.verdict}`, wrapAnsi(t(s.summary.reason), width, { hard: true }), '');
  out.push(
    plainTable(
      ['CLUSTER', 'VERDICT', 'C/H/M/L/I', 'REASON'],
      s.clusters.map((c) => [t(c.cluster), c.verdict ?? 'NOT SCANNED', severityCounts(c), t(c.reason)]),
      width,
    ),
    '',
  );
  const problems = s.problems.slice(0, FLEET_TEXT_ROWS);
  out.push(`Worst problems across the fleet${more(problems.length, s.problems.length, 'problem')}:`);
  out.push(
    problems.length
      ? plainTable(
          ['SEVERITY', 'CHECK', 'CLUSTERS', 'PROBLEM'],
          problems.map((p) => [
            `${p.severity}${p.blocking ? ' (blocks)' : ''}`,
            p.checkId,
            String(p.clusters.length),
            t(`${p.title} (in ${p.clusters.join(', ')})`),
          ]),
          width,
        )
      : '  none',
    '',
  );
  out.push('Versions and skew:');
  out.push(
    s.versions.length
      ? plainTable(
          ['CLUSTER', 'VERSION', 'DISTRIBUTION', 'TARGET', 'SKEW', 'KUBELETS'],
          s.versions.map((v) => [
            t(v.cluster),
            t(v.gitVersion ?? 'unknown'),
            distribution(v),
            target(v),
            skewWorst(v),
            t(v.kubeletVersions.join(', ')),
          ]),
          width,
        )
      : '  no cluster scanned',
    '',
  );
  const certs = s.certificates.slice(0, FLEET_TEXT_ROWS);
  out.push(`Certificates expiring soonest${more(certs.length, s.certificatesTotal, 'certificate listed')}:`);
  out.push(
    certs.length
      ? plainTable(
          ['EXPIRES', 'NOT AFTER', 'CLUSTER', 'CERTIFICATE', 'WHERE'],
          certs.map((c) => [days(c.daysLeft), c.notAfter.slice(0, 10), t(c.cluster), t(c.name), t(c.where)]),
          width,
          [4],
        )
      : '  no certificate read',
  );
  if (s.notScanned.length) {
    out.push(
      '',
      'Not scanned:',
      plainTable(
        ['CLUSTER', 'SOURCE', 'REASON'],
        s.notScanned.map((n) => [t(n.cluster), t(n.source), t(n.reason)]),
        width,
        [1, 2],
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

const mdRow = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const mdTable = (head: string[], rows: string[][]): string[] => [mdRow(head), mdRow(head.map(() => '---')), ...rows.map(mdRow)];

/** The summary as GitHub-flavoured markdown (a pull-request comment or a wiki page). */
export function renderFleetMarkdown(s: FleetSummary): string {
  const m = markdownText;
  const out: string[] = [`## kube-preflight fleet: **${s.summary.verdict}**`, '', m(s.summary.reason), ''];
  out.push(
    ...mdTable(
      ['cluster', 'verdict', 'findings', 'reason'],
      s.clusters.map((c) => [m(c.cluster), c.verdict ? `**${c.verdict}**` : 'not scanned', findingCounts(c), m(c.reason)]),
    ),
    '',
  );
  const problems = s.problems.slice(0, FLEET_TEXT_ROWS);
  out.push(`### Worst problems across the fleet${m(more(problems.length, s.problems.length, 'problem'))}`, '');
  if (problems.length) {
    out.push(
      ...mdTable(
        ['severity', 'check', 'clusters', 'problem', 'fix'],
        problems.map((p) => [
          `${p.severity}${p.blocking ? ' (blocks)' : ''}`,
          markdownCode(p.checkId),
          m(p.clusters.join(', ')),
          m(p.title),
          m(p.fix.split('\n')[0]!),
        ]),
      ),
    );
  } else out.push('None.');
  out.push('', '### Versions and skew', '');
  if (s.versions.length) {
    out.push(
      ...mdTable(
        ['cluster', 'version', 'distribution', 'target', 'kubelets', 'skew'],
        s.versions.map((v) => [
          m(v.cluster),
          markdownCode(v.gitVersion ?? 'unknown'),
          distribution(v),
          m(target(v)),
          m(v.kubeletVersions.join(', ')),
          m(skewText(v)),
        ]),
      ),
    );
  } else out.push('No cluster scanned.');
  const certs = s.certificates.slice(0, FLEET_TEXT_ROWS);
  out.push('', `### Certificates expiring soonest${m(more(certs.length, s.certificatesTotal, 'certificate listed'))}`, '');
  if (certs.length) {
    out.push(
      ...mdTable(
        ['expires', 'notAfter', 'cluster', 'certificate', 'where'],
        certs.map((c) => [days(c.daysLeft), c.notAfter.slice(0, 10), m(c.cluster), m(c.name), m(c.where)]),
      ),
    );
  } else out.push('No certificate read.');
  if (s.notScanned.length) {
    out.push(
      '',
      '### Not scanned',
      '',
      ...mdTable(
        ['cluster', 'source', 'reason'],
        s.notScanned.map((n) => [m(n.cluster), m(n.source), m(n.reason)]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

/** The summary as `fleet.json`. */
export function renderFleetJson(s: FleetSummary): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

const VERDICT_CLASS: Record<string, string> = { GO: 'go', 'NO-GO': 'nogo', INCOMPLETE: 'incomplete', 'REPORT-ONLY': 'report' };
/** The report stylesheet's status badge for a cluster's verdict. */
const VERDICT_BADGE: Record<string, string> = {
  GO: 'st-pass',
  'NO-GO': 'st-fail',
  INCOMPLETE: 'st-incomplete',
  'REPORT-ONLY': 'st-skipped',
  'not scanned': 'st-error',
};

/** The summary as one self-contained HTML page (a Content Security Policy allows only its inline style). */
export function renderFleetHtml(s: FleetSummary): string {
  const c = standalonePage('fleet.hbs', 'report.css');
  const view = {
    verdict: { value: s.summary.verdict, cls: VERDICT_CLASS[s.summary.verdict], reason: s.summary.reason },
    generatedAt: s.metadata.generatedAt,
    tool: s.metadata.tool.version,
    counts: Object.entries(s.summary.counts).map(([verdict, count]) => ({ verdict, count, badge: VERDICT_BADGE[verdict] })),
    clusters: s.clusters.map((x) => ({
      ...x,
      badge: VERDICT_BADGE[x.verdict ?? 'not scanned'],
      verdictText: x.verdict ?? 'NOT SCANNED',
      findingsText: findingCounts(x),
    })),
    problems: s.problems.map((p) => ({ ...p, clustersText: p.clusters.join(', '), fixLine: p.fix.split('\n')[0] })),
    versions: s.versions.map((v) => ({
      cluster: v.cluster,
      gitVersion: v.gitVersion ?? 'unknown',
      distribution: distribution(v),
      target: target(v),
      kubelets: v.kubeletVersions.join(', '),
      skew: v.skew,
    })),
    certificates: s.certificates.map((x) => ({ ...x, days: days(x.daysLeft), date: x.notAfter.slice(0, 10), soon: x.daysLeft < 30 })),
    certificatesNote: more(s.certificates.length, s.certificatesTotal, 'certificate listed'),
    notScanned: s.notScanned,
  };
  return c.template({ view, css: c.css, csp: c.csp });
}
