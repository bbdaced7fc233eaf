/**
 * The report as a pull-request comment (`report.md`, GitHub-flavoured markdown): the verdict,
 * the cluster, counts, the blocking problems (root causes, with the first line of their fix),
 * a table of the findings that block the verdict, the per-family tables (`report.tables`; past
 * `TABLE_ROWS_SHOWN` rows, the flagged ones and the first others: `cutRows`), and
 * the rest folded in `<details>` (each table, other findings, coverage, waivers); large groups of minor findings are one row
 * per rule (`foldFindings`). It stays under GitHub's comment limit
 * (65,536 characters): tables are cut where the budget ends, with a note saying how many rows
 * were left out and where to read them.
 *
 * Cluster data is not trusted: every value from the report goes through `markdownText` (or
 * `markdownCode`), so it renders as the literal text — no link, image, HTML, emphasis, mention
 * or extra table cell — with line breaks folded.
 */
import { CHECK_STATUSES, SEVERITIES } from '../contract/check.js';
import { resourceLabel } from '../k8s/fingerprint.js';
import type { Finding, Report, ReportTable, TableCell } from '../contract/report.js';
import { cellText } from '../report/tables.js';
import { problemsOf } from '../report/problems.js';
import { clusterLabel, distributionText, isBlocking, notAssessedLine, count, plural, sourceLabel, timeText } from './common.js';
import { markdownCode, markdownText } from './escape.js';
import { cutRows, cutRowsNote, foldedCount, foldFindings, foldUnknowns, subjectLines, type FoldedGroup, type FoldItem } from './fold.js';

/** GitHub's limit for an issue or pull-request comment, in characters. */
export const MARKDOWN_LIMIT = 65_536;

const HEAD = ['| severity | check / rule | resource | finding | time |', '|---|---|---|---|---|'];

function row(f: Finding): string {
  const sev = f.severity === 'critical' || f.severity === 'high' ? `**${f.severity}**` : f.severity;
  const marks = [f.waiver ? 'waived' : '', f.baseline === 'existing' ? 'in baseline' : '', f.previous ? `was ${f.previous.severity}` : '']
    .filter(Boolean)
    .join(', ');
  return (
    `| ${sev}${marks ? ` (${marks})` : ''} | ${markdownCode(f.checkId)} / ${markdownCode(f.rule)} | ` +
    `${markdownText(resourceLabel(f.resource))} | ${markdownText(f.message)} | ` +
    `${markdownText(timeText(f.evidence) ?? '')} |`
  );
}

/**
 * A folded group (`foldFindings`) as one row: the count in the severity cell, kinds,
 * namespaces and the first resources in the resource cell, the title in the finding cell.
 */
function foldedRow(g: FoldedGroup): string {
  const subjects = subjectLines(g.subjects)
    .map((l) => `${l.label}: ${l.text}`)
    .join('; ');
  return (
    `| ${g.severity} (${markdownText(foldedCount(g))}) | ${markdownCode(g.checkId)} / ` +
    `${markdownCode(g.rule)} | ${markdownText(subjects)} | ${markdownText(g.title)}. Every finding ` +
    `is listed in report.json. | |`
  );
}

/**
 * Adds table rows while `budget` lasts; returns the lines and how many findings were left out
 * (a folded row counts its findings).
 */
function table(items: FoldItem[], budget: number): { lines: string[]; left: number } {
  const lines = [...HEAD];
  let used = HEAD.join('\n').length;
  let left = 0;
  for (const item of items) {
    const r = item.folded ? foldedRow(item.folded) : row(item.finding);
    if (left > 0 || used + r.length + 1 > budget) {
      left += item.folded ? item.folded.findings.length : 1;
      continue;
    }
    lines.push(r);
    used += r.length + 1;
  }
  return { lines, left };
}

/** A cell in a markdown table: each value escaped, a list one item a line (`<br>`). */
function markdownCell(v: TableCell): string {
  return Array.isArray(v) && v.length > 0 ? v.map(markdownText).join('<br>') : markdownText(cellText(v));
}

/**
 * A report table folded in `<details>` (its title, family and row count in the summary), a
 * `!` column marking the rows that show a problem, its note under it; rows are added while
 * `budget` (characters) lasts, the rest counted.
 */
function familyTableMarkdown(t: ReportTable, budget: number): string[] {
  const marked = t.rows.some((r) => r.flagged);
  const out = [`<details><summary>${markdownText(t.title)} (${t.family}, ${plural(t.rows.length, 'row')})</summary>`, ''];
  if (t.rows.length === 0) out.push('None.');
  else {
    out.push(`| ${[...(marked ? ['!'] : []), ...t.columns.map((c) => markdownText(c.label))].join(' | ')} |`);
    out.push(`|${[...(marked ? [':-:'] : []), ...t.columns.map((c) => (c.align === 'right' ? '--:' : '---'))].join('|')}|`);
    let used = out.join('\n').length;
    let left = 0;
    const cut = cutRows(t.rows);
    for (const r of cut.shown) {
      const cells = [...(marked ? [r.flagged ? '**!**' : ''] : []), ...t.columns.map((c) => markdownCell(r.cells[c.key] ?? null))];
      const line = `| ${cells.join(' | ')} |`;
      if (left > 0 || used + line.length + 1 > budget) {
        left++;
        continue;
      }
      out.push(line);
      used += line.length + 1;
    }
    if (left > 0) out.push('', `… and ${left} more rows, left out to fit a comment; see report.json (.tables).`);
    const note = cutRowsNote(t.id, cut);
    if (note && left === 0) out.push('', markdownText(note));
  }
  const note = [t.note, marked ? '! marks a row that shows a problem.' : ''].filter(Boolean).join(' ');
  if (note) out.push('', markdownText(note));
  out.push('', '</details>', '');
  return out;
}

/** Renders the markdown comment. */
export function renderMarkdown(report: Report): string {
  const m = report.metadata;
  const s = report.summary;
  const head: string[] = [];
  head.push(`## kube-preflight: ${s.verdict} for ${markdownText(clusterLabel(report))}`, '');
  head.push(`**${s.verdict}**: ${markdownText(s.reason)}`, '');
  const gaps = notAssessedLine(report);
  if (gaps) head.push(`**${markdownText(gaps)}**`, '');
  head.push('| cluster | version | target | source | judged as of | fails on |', '|---|---|---|---|---|---|');
  head.push(
    `| ${markdownText(clusterLabel(report))} | ${markdownText(m.cluster.gitVersion ?? 'unknown')} | ` +
      `${markdownText(m.targetVersion ?? (m.assumedTargetVersion ? `${m.assumedTargetVersion} (assumed)` : '—'))} ` +
      `| ${markdownText(sourceLabel(report))} | ${markdownText(m.now)} | ${m.failOn} |`,
    '',
  );
  const distribution = distributionText(report);
  if (distribution) head.push(`Distribution: ${markdownText(distribution)}`, '');
  head.push(
    `Findings: ${SEVERITIES.map((v) => `${count(s.findings[v])} ${v}`).join(' · ')} · ${count(s.findings.waived)} waived. ` +
      `Checks: ${CHECK_STATUSES.filter((c) => s.checks[c] > 0)
        .map((c) => `${count(s.checks[c])} ${c}`)
        .join(' · ')}.`,
    '',
  );

  const tail: string[] = [];
  const notAssessed = report.checks.filter((c) => c.status !== 'pass' && c.status !== 'fail');
  const unknownCount = report.checks.reduce((n, c) => n + c.unknowns.length, 0);
  // Many subjects with one reason: one item (`foldUnknowns`).
  const unknowns = foldUnknowns(
    report.checks.flatMap((c) => c.unknowns.map((u) => ({ label: resourceLabel(u.resource), reason: u.reason, checkIds: [c.id] }))),
  );
  const denied = report.permissions?.denied ?? [];
  if (notAssessed.length > 0 || unknownCount > 0 || m.warnings.length > 0 || denied.length > 0 || report.permissions?.error) {
    tail.push(
      `<details><summary>Coverage: ${plural(notAssessed.length, 'check')} not fully assessed, ` +
        `${plural(unknownCount, 'subject')} not assessed</summary>`,
      '',
    );
    for (const c of notAssessed) tail.push(`- ${markdownCode(c.id)} **${c.status}**${c.reason ? `: ${markdownText(c.reason)}` : ''}`);
    for (const u of unknowns.slice(0, 50))
      tail.push(`- ${markdownCode(u.checkIds[0]!)} ${markdownText(u.label)}: ${markdownText(u.reason)}`);
    const left = unknowns.slice(50).reduce((n, u) => n + u.count, 0);
    if (left > 0) tail.push(`- … ${left} more subjects not assessed (see the full report)`);
    for (const w of m.warnings) tail.push(`- warning: ${markdownText(w)}`);
    if (report.permissions?.error) tail.push(`- permission plan unavailable: ${markdownText(report.permissions.error)}`);
    for (const d of denied.slice(0, 50))
      tail.push(
        `- forbidden read ${markdownCode(d.request)}${d.requiredBy.length ? `: ${markdownText(d.requiredBy.join(', '))} in error` : ''}`,
      );
    tail.push('', '</details>', '');
  }
  if (report.waivers) {
    const w = report.waivers.entries;
    const bad = w.filter((e) => e.state !== 'applied');
    tail.push(
      `<details><summary>Waivers: ${plural(w.length, 'entry', 'entries')}${bad.length ? `, ${bad.length} expired or stale` : ''}</summary>`,
      '',
    );
    for (const e of w)
      tail.push(
        `- [${e.index}] ${e.state}, ${e.matched} matched, owner ${markdownText(e.owner)}, expires ` +
          `${markdownText(e.expires)}: ${markdownText(e.reason)}`,
      );
    tail.push('', '</details>', '');
  }
  if (report.baseline) {
    tail.push(
      `Against the baseline ${markdownCode(report.baseline.file)}: ${report.baseline.new} new, ` +
        `${report.baseline.existing} still present, ${report.baseline.changed.length} changed, ` +
        `${report.baseline.resolved.length} resolved.`,
      '',
    );
  }
  tail.push(
    `<sub>kube-preflight ${markdownText(m.tool.version)} · catalog ` +
      `${markdownText(m.tool.catalogVersion)} · generated ${markdownText(m.generatedAt)} · full ` +
      `report: report.html / report.json</sub>`,
  );

  const blocking = report.findings.filter((f) => isBlocking(f, report));
  const others = report.findings.filter((f) => !isBlocking(f, report));
  const fixed = head.join('\n').length + tail.join('\n').length + 600;
  let budget = MARKDOWN_LIMIT - fixed;
  const body: string[] = [];
  // Blocking problems first: one item per root cause, with its fix (the first line of it).
  const problems = problemsOf(report).filter((p) => p.blocking);
  if (problems.length > 0) {
    body.push(`### Blocking problems (${problems.length})`, '');
    let left = 0;
    for (const p of problems) {
      const fix =
        p.fix
          .split('\n')
          .find((l) => l.trim().length > 0)
          ?.trim() ?? '';
      const fixPart = fix ? `<br>fix: ${markdownCode(fix)}${p.fix.trim().includes('\n') ? ' …' : ''}` : '';
      const item = `1. **${p.severity}** ${markdownText(p.title)} (${plural(p.findings.length, 'finding')})${fixPart}`;
      if (left > 0 || body.join('\n').length + item.length > budget / 2) left++;
      else body.push(item);
    }
    if (left > 0) body.push('', `… and ${left} more blocking problems, left out to fit a comment; see report.json (.problems).`);
    body.push('');
    budget -= body.join('\n').length;
  }
  body.push(`### Blocking findings (${blocking.length})`, '');
  if (blocking.length === 0) body.push(`None at or above ${m.failOn}.`, '');
  else {
    const t = table(
      blocking.map((finding) => ({ finding })),
      budget,
    );
    body.push(...t.lines);
    if (t.left > 0) body.push('', `… and ${t.left} more blocking findings, left out to fit a comment; see the full report.`);
    body.push('');
  }
  budget -= body.join('\n').length;
  // The per-family tables, each folded; rows are cut where half the budget left ends.
  const tables = report.tables ?? [];
  if (tables.length > 0) {
    const start = body.length;
    let room = budget / 2;
    for (const t of tables) {
      const lines = familyTableMarkdown(t, room);
      room -= lines.join('\n').length;
      body.push(...lines);
    }
    budget -= body.slice(start).join('\n').length;
  }
  if (others.length > 0) {
    const t = table(foldFindings(others, report), budget);
    body.push(`<details><summary>Other findings (${others.length}): not blocking, waived, or in the baseline</summary>`, '');
    if (t.lines.length > HEAD.length) body.push(...t.lines);
    if (t.left > 0) body.push('', `… and ${t.left} more, left out to fit a comment; see the full report.`);
    body.push('', '</details>', '');
  }
  return `${[...head, ...body, ...tail].join('\n')}\n`;
}
