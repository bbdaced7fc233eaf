/**
 * Renderings of a report diff (`kube-preflight diff A B`): text for the terminal, markdown for a
 * compliance record or a PR comment. JSON is the `ReportDiff` itself.
 */
import type { FindingRef, ReportDiff } from '../engine/baseline.js';
import { resourceLabel } from '../report/fingerprint.js';
import { plainTable } from './table.js';

export function renderDiffText(d: ReportDiff): string {
  const out: string[] = [];
  out.push(`from ${d.from.generatedAt} (${d.from.verdict}, now ${d.from.now}, ${d.from.source})`);
  out.push(`to   ${d.to.generatedAt} (${d.to.verdict}, now ${d.to.now}, ${d.to.source})`);
  out.push(`${d.new.length} new, ${d.resolved.length} resolved, ${d.changed.length} changed severity, ${d.unchanged} unchanged`);
  const table = (title: string, refs: Array<FindingRef & { previousSeverity?: string }>): void => {
    if (refs.length === 0) return;
    out.push('', title);
    out.push(
      plainTable(
        ['SEVERITY', 'CHECK', 'RULE', 'RESOURCE', 'FINGERPRINT'],
        refs.map((r) => [r.previousSeverity ? `${r.previousSeverity} → ${r.severity}` : r.severity, r.checkId, r.rule, resourceLabel(r.resource), r.fingerprint]),
      ),
    );
  };
  table('New findings', d.new);
  table('Resolved findings', d.resolved);
  table('Changed severity', d.changed);
  if (d.checks.length > 0) {
    out.push('', 'Check status changes');
    out.push(plainTable(['CHECK', 'BEFORE', 'AFTER'], d.checks.map((c) => [c.id, c.before, c.after])));
  }
  return `${out.join('\n')}\n`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderDiffMarkdown(d: ReportDiff): string {
  const out: string[] = [];
  out.push('## kube-preflight: changes between two scans', '');
  out.push('| | scan | verdict | clock (`--now`) | source |', '|---|---|---|---|---|');
  out.push(`| from | ${d.from.generatedAt} | ${d.from.verdict} | ${d.from.now} | ${cell(d.from.source)} |`);
  out.push(`| to | ${d.to.generatedAt} | ${d.to.verdict} | ${d.to.now} | ${cell(d.to.source)} |`, '');
  out.push(`**${d.new.length} new**, **${d.resolved.length} resolved**, ${d.changed.length} changed severity, ${d.unchanged} unchanged.`);
  const table = (title: string, refs: Array<FindingRef & { previousSeverity?: string }>): void => {
    out.push('', `### ${title} (${refs.length})`, '');
    if (refs.length === 0) {
      out.push('None.');
      return;
    }
    out.push('| severity | check | rule | resource | fingerprint |', '|---|---|---|---|---|');
    for (const r of refs) {
      out.push(`| ${r.previousSeverity ? `${r.previousSeverity} → ${r.severity}` : r.severity} | ${cell(r.checkId)} | ${cell(r.rule)} | ${cell(resourceLabel(r.resource))} | \`${r.fingerprint}\` |`);
    }
  };
  table('New findings', d.new);
  table('Resolved findings', d.resolved);
  table('Changed severity', d.changed);
  if (d.checks.length > 0) {
    out.push('', '### Check status changes', '', '| check | before | after |', '|---|---|---|');
    for (const c of d.checks) out.push(`| ${c.id} | ${c.before} | ${c.after} |`);
  }
  return `${out.join('\n')}\n`;
}
