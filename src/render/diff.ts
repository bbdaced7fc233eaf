/**
 * Renderings of a report diff (`kube-preflight diff A B`): text for the terminal, markdown for a
 * compliance record or a PR comment. JSON is the `ReportDiff` itself. A changed finding shows
 * `high → critical` in the severity column and `expires-soon → expired` in the rule column.
 */
import type { ChangedRef, FindingRef } from '../contract/report.js';
import type { ReportDiff } from '../report/baseline.js';
import { resourceLabel } from '../k8s/fingerprint.js';
import { markdownCode, markdownText, terminalSafeDeep } from './escape.js';
import { plainTable } from './table.js';

type Row = FindingRef | ChangedRef;

const severityCell = (r: Row): string =>
  'previous' in r && r.previous.severity !== r.severity ? `${r.previous.severity} → ${r.severity}` : r.severity;
const ruleCell = (r: Row): string => ('previous' in r && r.previous.rule !== r.rule ? `${r.previous.rule} → ${r.rule}` : r.rule);
const counts = (d: ReportDiff): string =>
  `${d.new.length} new, ${d.resolved.length} resolved, ${d.changed.length} changed, ${d.unchanged} unchanged`;

/**
 * The diff for a terminal: both scans, the counts, then tables of new, resolved and changed
 * findings and check status changes. Values are `terminalSafe`.
 */
export function renderDiffText(input: ReportDiff): string {
  const d = terminalSafeDeep(input);
  const out: string[] = [];
  out.push(`from ${d.from.generatedAt} (${d.from.verdict}, now ${d.from.now}, ${d.from.source})`);
  out.push(`to   ${d.to.generatedAt} (${d.to.verdict}, now ${d.to.now}, ${d.to.source})`);
  out.push(counts(d));
  const table = (title: string, refs: Row[]): void => {
    if (refs.length === 0) return;
    out.push('', title);
    out.push(
      plainTable(
        ['SEVERITY', 'CHECK', 'RULE', 'RESOURCE', 'FINGERPRINT'],
        refs.map((r) => [severityCell(r), r.checkId, ruleCell(r), resourceLabel(r.resource), r.fingerprint]),
      ),
    );
  };
  table('New findings', d.new);
  table('Resolved findings', d.resolved);
  table('Changed findings (severity or rule)', d.changed);
  if (d.checks.length > 0) {
    out.push('', 'Check status changes');
    out.push(
      plainTable(
        ['CHECK', 'BEFORE', 'AFTER'],
        d.checks.map((c) => [c.id, c.before, c.after]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

/**
 * The diff as GitHub-flavoured markdown: the same sections as the text, every table present
 * ("None." when empty). Every value from the reports is escaped (`markdownText`).
 */
export function renderDiffMarkdown(d: ReportDiff): string {
  const out: string[] = [];
  out.push('## kube-preflight: changes between two scans', '');
  out.push('| | scan | verdict | clock (`--now`) | source |', '|---|---|---|---|---|');
  for (const [label, side] of [
    ['from', d.from],
    ['to', d.to],
  ] as const) {
    out.push(
      `| ${label} | ${markdownText(side.generatedAt)} | ${markdownText(side.verdict)} | ` +
        `${markdownText(side.now)} | ${markdownText(side.source)} |`,
    );
  }
  out.push('');
  out.push(`**${d.new.length} new**, **${d.resolved.length} resolved**, ${d.changed.length} changed, ${d.unchanged} unchanged.`);
  const table = (title: string, refs: Row[]): void => {
    out.push('', `### ${title} (${refs.length})`, '');
    if (refs.length === 0) {
      out.push('None.');
      return;
    }
    out.push('| severity | check | rule | resource | fingerprint |', '|---|---|---|---|---|');
    for (const r of refs) {
      out.push(
        `| ${markdownText(severityCell(r))} | ${markdownText(r.checkId)} | ${markdownText(ruleCell(r))} ` +
          `| ${markdownText(resourceLabel(r.resource))} | ${markdownCode(r.fingerprint)} |`,
      );
    }
  };
  table('New findings', d.new);
  table('Resolved findings', d.resolved);
  table('Changed findings (severity or rule)', d.changed);
  if (d.checks.length > 0) {
    out.push('', '### Check status changes', '', '| check | before | after |', '|---|---|---|');
    for (const c of d.checks) out.push(`| ${markdownText(c.id)} | ${markdownText(c.before)} | ${markdownText(c.after)} |`);
  }
  return `${out.join('\n')}\n`;
}
