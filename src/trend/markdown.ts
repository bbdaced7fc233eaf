/**
 * `trend.md`: the trend as GitHub-flavoured markdown, for a compliance record or a ticket:
 * the runs, the totals, the closed findings with their time to fix, the open findings, and the
 * certificates expiring soonest. Every value from the reports is escaped (`markdownText`).
 */
import { markdownCode, markdownText } from '../render/escape.js';
import type { Trend } from './model.js';
import { clock, closedFindings, clusterName, daysOpen, label, medianText, openFindings, openNote, period, soonestText } from './view.js';

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;

/** The trend as markdown. */
export function renderTrendMarkdown(t: Trend): string {
  const md = markdownText;
  const out: string[] = [];
  out.push(`## kube-preflight: trend of ${md(clusterName(t))}`, '');
  out.push(
    `${md(period(t))}, ${t.runs.length} run${t.runs.length === 1 ? '' : 's'}. ` +
      `**${t.summary.opened} opened**, **${t.summary.closed} closed**, ${t.summary.open} open after the last run; ` +
      `median time to fix: ${md(medianText(t))}.`,
  );
  if (t.metadata.warnings.length > 0) out.push('', ...t.metadata.warnings.map((w) => `- Warning: ${md(w)}`));
  out.push('', '### Runs', '');
  out.push(
    row(['run (UTC)', 'verdict', 'open', 'opened', 'closed', 'changed', 'not judged', 'soonest certificate', 'cluster admins', 'report']),
    `|${'---|'.repeat(10)}`,
  );
  for (const r of t.runs) {
    out.push(
      row([
        md(clock(r.now)),
        md(r.verdict),
        String(r.open),
        String(r.opened),
        String(r.closed),
        String(r.changed),
        String(r.notAssessed),
        md(soonestText(r)),
        r.clusterAdminCount === null ? 'not assessed' : String(r.clusterAdminCount),
        markdownCode(r.file),
      ]),
    );
  }
  const closed = closedFindings(t);
  out.push('', `### Closed findings (${closed.length})`, '');
  if (closed.length === 0) out.push('None.');
  else {
    out.push('Days to fix: from the first run that had the finding to the first run that judged it gone.', '');
    out.push(row(['severity', 'check', 'rule', 'resource', 'first seen', 'closed', 'days to fix']), `|${'---|'.repeat(7)}`);
    for (const f of closed)
      out.push(
        row([md(f.severity), md(f.checkId), md(f.rule), md(label(f)), md(clock(f.firstSeen)), md(clock(f.closedAt!)), String(f.daysToFix)]),
      );
  }
  const open = openFindings(t);
  out.push('', `### Open findings (${open.length})`, '');
  if (open.length === 0) out.push('None.');
  else {
    out.push(row(['severity', 'check', 'rule', 'resource', 'first seen', 'days open', 'note']), `|${'---|'.repeat(7)}`);
    for (const f of open)
      out.push(
        row([md(f.severity), md(f.checkId), md(f.rule), md(label(f)), md(clock(f.firstSeen)), String(daysOpen(t, f)), md(openNote(f))]),
      );
  }
  if (t.certificates.length > 0) {
    out.push('', '### Certificates expiring soonest: days left per run', '');
    out.push(row(['certificate', 'where', ...t.runs.map((r) => md(clock(r.now).slice(0, 10)))]), `|${'---|'.repeat(2 + t.runs.length)}`);
    for (const c of t.certificates) out.push(row([md(c.name), md(c.where), ...c.daysLeft.map((d) => (d === null ? '—' : String(d)))]));
  }
  return `${out.join('\n')}\n`;
}
