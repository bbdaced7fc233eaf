/**
 * The trend for a terminal: the runs as a table fitted to `width` columns (the soonest
 * certificate and the report file wrap), the totals, then the closed findings with their time
 * to fix and the open ones. Values from the reports pass through `terminalSafe`.
 */
import { dirname, relative, sep } from 'node:path';
import { terminalSafeDeep } from '../render/escape.js';
import { plainTable } from '../render/table.js';
import type { Trend } from './model.js';
import { clock, closedFindings, clusterName, daysOpen, label, medianText, openFindings, openNote, period } from './view.js';

/** The folder holding every file of `files` (`.` when they share none). */
export function commonFolder(files: string[]): string {
  const parts = files.map((f) => dirname(f).split(sep));
  const first = parts[0] ?? [];
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n++;
  return n === 0 ? '.' : first.slice(0, n).join(sep) || sep;
}

/** `9 (web.example.com)`, `-5 (web.example.com)`: days left of the soonest certificate. */
function soonestCell(r: Trend['runs'][number]): string {
  if (r.certificates === null) return 'not assessed';
  const s = r.certificates.soonest;
  return s ? `${s.daysLeft} (${s.name})` : 'none';
}

/** The trend as text, tables at most `width` columns wide where they can be. */
export function renderTrendText(input: Trend, width: number): string {
  const t = terminalSafeDeep(input);
  const out: string[] = [];
  out.push(`Trend of ${clusterName(t)}, ${period(t)}, ${t.runs.length} run${t.runs.length === 1 ? '' : 's'}`);
  for (const w of t.metadata.warnings) out.push(`warning: ${w}`);
  const folder = commonFolder(t.runs.map((r) => r.file));
  // Dates alone name the runs unless two share a date.
  const dates = t.runs.map((r) => r.now.slice(0, 10));
  const runLabel = new Set(dates).size === dates.length ? (iso: string): string => iso.slice(0, 10) : clock;
  out.push(`Reports below ${folder}`, '');
  out.push(
    plainTable(
      ['RUN (UTC)', 'VERDICT', 'OPEN', 'OPENED', 'CLOSED', 'UNJUDGED', 'CERT DAYS LEFT', 'ADMINS', 'REPORT'],
      t.runs.map((r) => [
        runLabel(r.now),
        r.verdict,
        String(r.open),
        String(r.opened),
        String(r.closed),
        String(r.notAssessed),
        soonestCell(r),
        r.clusterAdminCount === null ? '-' : String(r.clusterAdminCount),
        relative(folder, r.file) || r.file,
      ]),
      width,
      [6],
    ),
  );
  out.push('');
  out.push(
    `${t.summary.opened} opened, ${t.summary.closed} closed, ${t.summary.open} open after the last run; ` +
      `median time to fix: ${medianText(t)}.`,
  );
  const closed = closedFindings(t);
  if (closed.length > 0) {
    out.push('', 'Closed findings (days to fix: first run that had it → first run that judged it gone)');
    out.push(
      plainTable(
        ['SEVERITY', 'FINDING', 'RESOURCE', 'FIRST SEEN', 'CLOSED', 'DAYS'],
        closed.map((f) => [
          f.severity,
          `${f.checkId}\n${f.rule}`,
          label(f),
          runLabel(f.firstSeen),
          runLabel(f.closedAt!),
          String(f.daysToFix),
        ]),
        width,
        [2],
      ),
    );
  }
  const open = openFindings(t);
  if (open.length > 0) {
    out.push('', 'Open findings');
    const notes = open.some((f) => openNote(f) !== '');
    const rows = open.map((f) => [
      f.severity,
      `${f.checkId}\n${f.rule}`,
      label(f),
      runLabel(f.firstSeen),
      String(daysOpen(t, f)),
      ...(notes ? [openNote(f)] : []),
    ]);
    out.push(
      plainTable(['SEVERITY', 'FINDING', 'RESOURCE', 'FIRST SEEN', 'DAYS', ...(notes ? ['NOTE'] : [])], rows, width, notes ? [2, 5] : [2]),
    );
  }
  return `${out.join('\n')}\n`;
}
