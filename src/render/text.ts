/**
 * The terminal report, a first screen that decides, then the detail:
 *
 * 1. the verdict and its reason, the problem and finding counts;
 * 2. the blocking problems (`report.problems`, most impact first), each with the first line of
 *    its fix (at most `FIRST_SCREEN_PROBLEMS`; the rest are counted);
 * 3. one line per check family: problems, the worst severity, checks not fully assessed; then
 *    the not-assessed line, the check counts, the distribution and the warnings;
 * 4. each blocking problem in full (its whole fix and its findings), the other problems that
 *    join several findings, the per-family tables (`report.tables`: certificates, APIs, skew
 *    matrix, drain order, access review; `familyTable`: past `TABLE_ROWS_SHOWN` rows, the
 *    flagged ones and the first others, the cut said), then every finding; large groups of
 *    minor findings are one block per rule (`foldFindings`): count, kinds, namespaces, the
 *    first resources;
 * 5. with `wide`, the table of every check; then baseline, waivers, permissions, unread inputs
 *    and the subjects not assessed (many with one reason: one entry, `foldUnknowns`).
 *
 * Colours only when asked (the CLI enables them on a TTY, unless NO_COLOR is set). Every string
 * of the report is passed through `terminalSafe` first (control characters and bidi controls
 * shown escaped), then the renderer adds its own line breaks, indents and colours. Lines wrap
 * at `width` (at least 80).
 */
import pc from 'picocolors';
import { wrapAnsi } from 'fast-wrap-ansi';
import { type CheckStatus, type Severity, type Verdict, SEVERITIES } from '../contract/check.js';
import { resourceLabel } from '../k8s/fingerprint.js';
import { type Finding, type Problem, type Report, type ReportTable, FORMAT_NAMES } from '../contract/report.js';
import { problemsOf } from '../report/problems.js';
import { distributionText, familiesOf, notAssessedLine, count, plural, severityRank, unknownsBySubject } from './common.js';
import { cutRows, cutRowsNote, foldedCount, foldedQuery, foldFindings, foldUnknowns, subjectLines } from './fold.js';
import { terminalSafeDeep, terminalSafeLines } from './escape.js';
import { ANSI, columnWidths, plainTable, wrappedMinWidth } from './table.js';
import { cellText } from '../report/tables.js';

export interface TextOptions {
  color: boolean;
  /** Terminal width in columns (lines and tables wrap to it, at least 80). */
  width: number;
  /** Also print the table of every check (`--wide`). */
  wide?: boolean;
}

/** Blocking problems listed on the first screen; the rest are counted there and listed below. */
export const FIRST_SCREEN_PROBLEMS = 10;

/** Other problems that join several findings, listed after the blocking ones; the rest are counted. */
export const OTHER_GROUPED_PROBLEMS = 20;

type Colors = ReturnType<typeof pc.createColors>;

const SEV_SHORT: Record<Severity, string> = { critical: 'C', high: 'H', medium: 'M', low: 'L', info: 'I' };

/** Renders the report for a terminal or `report.txt`. */
export function renderText(input: Report, opts: TextOptions): string {
  // Check details (drawn only in HTML) are left out: they can hold megabytes.
  const raw = problemsOf(input);
  const report = terminalSafeDeep({ ...input, checks: input.checks.map(({ details: _, ...c }) => c), problems: raw });
  const problems = report.problems;
  // A fix keeps its line breaks (commands, one a line); each line is escaped on its own.
  const fixLines = new Map(raw.map((p) => [p.id, terminalSafeLines(p.fix.trim()).split('\n')]));
  const c = pc.createColors(opts.color);
  const m = report.metadata;
  const width = Math.max(80, opts.width);
  const wrap = (text: string, indent = 0, first = ''): string => {
    const body = wrapAnsi(text, width - indent - first.length, { hard: true }).split('\n');
    return body.map((l, i) => (i === 0 ? `${' '.repeat(indent)}${first}${l}` : `${' '.repeat(indent + first.length)}${l}`)).join('\n');
  };
  /** `text` wrapped to the width, its continuation lines indented by `indent`. */
  const hanging = (text: string, indent: number): string => {
    const [head = '', ...rest] = wrapAnsi(text, width, { hard: true }).split('\n');
    return rest.length === 0 ? head : [head, wrap(rest.join(' '), indent)].join('\n');
  };
  const out: string[] = [];
  const asUser = m.source.user ? ` as ${m.source.user.username}` : '';
  const src =
    m.source.type === 'dump'
      ? `dump ${m.source.location}${m.source.format ? ` (${FORMAT_NAMES[m.source.format]})` : ''}`
      : m.source.type === 'none'
        ? 'no cluster'
        : `live ${m.source.context ?? ''} ${m.source.server ?? m.source.location}${asUser}`.trim();
  const cluster = m.source.type === 'none' ? '' : ` · cluster ${m.cluster.gitVersion ?? 'version unknown'}`;
  const assumed = m.assumedTargetVersion ? ` · target ${m.assumedTargetVersion} (assumed: the next minor; no --target-version)` : '';
  const target = m.targetVersion ? ` · target ${m.targetVersion}` : assumed;
  out.push(wrap(c.bold('kube-preflight') + ` ${m.tool.version} · ${src}${cluster}${target} · fail-on ${m.failOn} · now ${m.now}`));
  out.push('');
  out.push(wrap(`${verdictBadge(report.summary.verdict, c)}  ${report.summary.reason}`));
  const f = report.summary.findings;
  const blocking = problems.filter((p) => p.blocking);
  out.push(
    wrap(
      `Problems: ${count(problems.length)} (${count(blocking.length)} blocking) · Findings: ` +
        `${count(report.findings.length)} (${SEVERITIES.map((s) => `${count(f[s])} ${s}`).join(', ')}, ${count(f.waived)} ` +
        `waived)`,
    ),
  );

  const byPrint = new Map(report.findings.map((x) => [x.fingerprint, x]));
  if (blocking.length > 0) {
    out.push('');
    const shown = blocking.slice(0, FIRST_SCREEN_PROBLEMS);
    const cut = shown.some((p) => fixLines.get(p.id)!.length > 1) || blocking.length > shown.length;
    out.push(
      c.bold(`Blocking problems (${blocking.length}), each with the first line of its fix${cut ? '; in full under "Fixes" below' : ''}:`),
    );
    shown.forEach((p, i) => {
      out.push(wrap(severityLabel(p.severity, p.title, c), 0, `${String(i + 1).padStart(2)}. `));
      out.push(wrap(fixLines.get(p.id)![0] || '(no remediation given)', 4, '→ '));
    });
    if (blocking.length > shown.length)
      out.push(`    +${blocking.length - shown.length} more blocking problems, listed under "Fixes" below`);
  }

  // One line per family: problems, the worst severity, what was not fully assessed.
  out.push('');
  const families = familiesOf(report);
  const famWidth = Math.max(...families.map((g) => g.family.length));
  const gapsByCheck = new Map(report.summary.notAssessed.map((n) => [n.checkId, n]));
  for (const g of families) {
    const ps = problems.filter((p) => p.family === g.family);
    const open = ps.filter((p) => !p.waived);
    const worst =
      open.length > 0 ? open.reduce((a, b) => (severityRank(b.severity) < severityRank(a.severity) ? b : a)).severity : undefined;
    const nBlocking = ps.filter((p) => p.blocking).length;
    const gaps = g.checks.filter((ch) => gapsByCheck.has(ch.id)).length;
    const blockingPart = nBlocking > 0 ? ` (${nBlocking} blocking)` : '';
    const worstPart = worst ? `, worst ${severityLabel(worst, worst, c)}` : ', all waived';
    const what = ps.length === 0 ? 'no problem' : `${plural(ps.length, 'problem')}${blockingPart}${worstPart}`;
    const checks = plural(g.checks.length, 'check');
    const assessed = gaps === 0 ? `${checks} fully assessed` : c.yellow(`${gaps} of ${checks} not fully assessed`);
    out.push(`  ${g.family.padEnd(famWidth)}  ${what} · ${assessed}`);
  }
  const gaps = notAssessedLine(report);
  if (gaps) out.push(c.yellow(wrap(gaps)));
  const k = report.summary.checks;
  const statuses: CheckStatus[] = ['pass', 'fail', 'incomplete', 'error', 'not-applicable', 'skipped'];
  const wideHint = opts.wide ? '' : ' (--wide: the table of every check)';
  out.push(wrap(`Checks: ${statuses.map((s) => `${count(k[s])} ${s}`).join(' · ')}${wideHint}`));
  const distribution = distributionText(report);
  if (distribution) out.push(wrap(`Distribution: ${distribution}`));

  if (m.warnings.length > 0) {
    out.push('');
    out.push(c.yellow('Warnings:'));
    for (const w of m.warnings) out.push(wrap(w, 2, '- '));
  }

  const findingLine = (fi: Finding): string => {
    const mark = fi.waiver ? ' (waived)' : fi.baseline === 'existing' ? ' (baseline)' : fi.previous ? ` (was ${fi.previous.severity})` : '';
    const sev = `${fi.severity.toUpperCase()}${mark}`;
    const label = severityLabel(fi.severity, sev.padEnd(10), c);
    return `${label}  ${fi.checkId} ${c.dim(`· ${fi.rule}`)}  ${c.bold(resourceLabel(fi.resource))}`;
  };
  const problemBlock = (p: Problem, n: string): void => {
    out.push(wrap(`${severityLabel(p.severity, p.title, c)} ${c.dim(`[${p.id}]`)}`, 0, n));
    out.push(`${' '.repeat(n.length)}fix:`);
    const lines = fixLines.get(p.id)!;
    for (const l of lines[0] ? lines : ['(no remediation given)']) out.push(wrap(l, n.length + 2));
    out.push(`${' '.repeat(n.length)}${plural(p.findings.length, 'finding')}:`);
    for (const fp of p.findings) {
      const fi = byPrint.get(fp);
      if (fi) out.push(wrap(findingLine(fi), n.length + 2));
    }
  };
  if (blocking.length > 0) {
    out.push('');
    out.push(c.bold(`Fixes (${plural(blocking.length, 'blocking problem')})`));
    blocking.forEach((p, i) => problemBlock(p, `${String(i + 1).padStart(2)}. `));
  }
  const grouped = problems.filter((p) => !p.blocking && p.findings.length > 1);
  if (grouped.length > 0) {
    out.push('');
    out.push(c.bold(`Other problems joining several findings (${grouped.length})`));
    for (const p of grouped.slice(0, OTHER_GROUPED_PROBLEMS)) problemBlock(p, '  - ');
    if (grouped.length > OTHER_GROUPED_PROBLEMS)
      out.push(`  +${grouped.length - OTHER_GROUPED_PROBLEMS} more: every problem is in report.json (.problems)`);
  }

  for (const t of report.tables ?? []) {
    out.push('');
    out.push(...familyTable(t, width, c));
  }

  if (report.findings.length > 0) {
    out.push('');
    out.push(c.bold(`Findings (${count(report.findings.length)})`));
    // One block per finding: severity, check · rule and resource on the first line, the
    // message wrapped under it (a table leaves long messages too little room). A large group
    // of minor findings is one block: count, kinds, namespaces and the first resources.
    const indent = ' '.repeat(12);
    for (const item of foldFindings(report.findings, report)) {
      if (item.folded) {
        const g = item.folded;
        out.push(
          hanging(
            `${severityLabel(g.severity, g.severity.toUpperCase().padEnd(10), c)}  ${g.checkId} ` +
              `${c.dim(`· ${g.rule}`)}  ${c.bold(foldedCount(g))}`,
            12,
          ),
        );
        const query = foldedQuery(g);
        const lines = [
          g.title,
          ...subjectLines(g.subjects).map((l) => `${l.label}: ${l.text}`),
          `Every finding is in report.json${query ? `: ${query}` : '.'}`,
        ];
        for (const l of lines) out.push(wrapAnsi(l, width - indent.length, { hard: true }).replace(/^/gm, indent));
        continue;
      }
      const fi = item.finding;
      out.push(hanging(findingLine(fi), 12));
      out.push(wrapAnsi(fi.message, width - indent.length, { hard: true }).replace(/^/gm, indent));
    }
  }

  if (opts.wide) {
    out.push('');
    const checkRows = report.checks.map((ch) => {
      const counts = SEVERITIES.filter((s) => ch.findings[s] > 0)
        .map((s) => `${ch.findings[s]}${SEV_SHORT[s]}`)
        .join(' ');
      // Subjects not assessed are listed once, with their reasons, under "Not assessed".
      const note = ch.status !== 'error' && ch.unknowns.length > 0 ? `${ch.unknowns.length} not assessed (see below)` : (ch.reason ?? '');
      return [ch.id, statusLabel(ch.status, c), counts || '-', String(ch.evaluated), note];
    });
    out.push(plainTable(['CHECK', 'STATUS', 'FINDINGS', 'EVALUATED', 'NOTE'], checkRows, width));
  }

  if (report.baseline) {
    const b = report.baseline;
    out.push('');
    out.push(
      `Baseline ${b.file} (${b.generatedAt}): ${b.new} new, ${b.existing} still present, ` +
        `${b.changed.length} changed, ${b.resolved.length} resolved`,
    );
    for (const r of b.changed)
      out.push(
        `  changed: ${r.previous.severity} → ` +
          `${r.severity}${r.previous.rule !== r.rule ? ` (rule ${r.previous.rule} → ${r.rule})` : ''} ` +
          `${r.checkId} ${resourceLabel(r.resource)} — ${r.title}`,
      );
    for (const r of b.resolved) out.push(`  resolved: ${r.severity} ${r.checkId} ${resourceLabel(r.resource)} — ${r.title}`);
  }
  if (report.waivers) {
    out.push('');
    out.push(c.bold(`Waivers (${report.waivers.file})`));
    for (const w of report.waivers.entries) {
      const what = w.fingerprint
        ? `fingerprint ${w.fingerprint}`
        : `${w.checkId}${w.rule ? ` rule ${w.rule}` : ''}${w.resource ? ` ${JSON.stringify(w.resource)}` : ''}`;
      const state =
        w.state === 'applied'
          ? `covers ${w.matched} finding(s)`
          : w.state === 'expired'
            ? c.yellow(`EXPIRED on ${w.expires}, no longer applies${w.matched ? ` (${w.matched} finding(s) count again)` : ''}`)
            : c.yellow('stale: matches no finding');
      out.push(`  [${w.index}] ${what} — ${state}; owner ${w.owner}, expires ${w.expires}${w.ticket ? `, ${w.ticket}` : ''}`);
    }
  }

  if (report.permissions && (report.permissions.denied.length > 0 || report.permissions.error)) {
    out.push('');
    out.push(c.bold('Permission plan'));
    if (report.permissions.error) out.push(`  unavailable: ${report.permissions.error}`);
    for (const d of report.permissions.denied) {
      const needed = d.requiredBy.length ? ` — needed by ${d.requiredBy.join(', ')}` : '';
      const less = d.optionalFor.length ? ` — less evidence for ${d.optionalFor.join(', ')}` : '';
      out.push(`  forbidden: ${d.request}${needed}${less}`);
    }
  }

  const unread = report.inputs.filter((i) => (i.status !== 'ok' && i.status !== 'absent') || (i.partial ?? []).length > 0);
  if (unread.length > 0) {
    out.push('');
    out.push(
      c.bold(
        m.source.type === 'none' ? 'Inputs not read (--no-cluster: cluster data is out of scope)' : 'Inputs not read, in whole or in part',
      ),
    );
    for (const i of unread) {
      const users = [...i.usedBy.required, ...i.usedBy.optional];
      if (i.status !== 'ok' && i.status !== 'absent') {
        const needed = i.usedBy.required.length ? ` (needed by ${i.usedBy.required.join(', ')})` : '';
        const line = `${i.key}: ${i.status}${i.reason ? ` — ${i.reason}` : ''}${needed}`;
        out.push(
          wrapAnsi(line, width - 2, { hard: true })
            .replace(/^/gm, '  ')
            .replace(/\n {2}/g, '\n      '),
        );
      } else {
        for (const p of i.partial ?? []) {
          const line = `${i.key}: ${p.subjects} ${p.status} — ${p.reason} (used by ${users.join(', ')})`;
          out.push(
            wrapAnsi(line, width - 2, { hard: true })
              .replace(/^/gm, '  ')
              .replace(/\n {2}/g, '\n      '),
          );
        }
      }
    }
  }
  // Why each check not fully assessed is so (the check table says it too, with --wide).
  const partly = report.summary.notAssessed.filter((n) => n.status === 'error' || n.status === 'incomplete');
  if (partly.length > 0) {
    out.push('');
    out.push(c.bold('Checks not fully assessed'));
    for (const n of partly) out.push(wrap(`${n.checkId} ${statusLabel(n.status, c)}: ${n.reason}`, 2));
  }
  // One line per subject not assessed, with the checks it affects; many with one reason, one entry.
  const bySubject = unknownsBySubject(report);
  if (bySubject.length > 0) {
    out.push('');
    out.push(c.bold('Not assessed'));
    for (const e of foldUnknowns(bySubject)) {
      out.push(hanging(`  ${c.bold(e.label)}  ${c.dim(e.checkIds.join(', '))}`, 6));
      out.push(wrapAnsi(e.reason, width - 6, { hard: true }).replace(/^/gm, '      '));
    }
  }
  return out.join('\n') + '\n';
}

/**
 * A report table as a kubectl-style block: its title (and family), the table fitted to `width`
 * (the widest columns, as few as make it fit, wrap on word boundaries, never cut; list cells
 * one item a line), a `!` column marking the rows that show a problem, and its note wrapped
 * under it. When no wrapping fits the width, each row is a block of `LABEL: value` lines.
 */
export function familyTable(t: ReportTable, width: number, c: Colors): string[] {
  const marked = t.rows.some((r) => r.flagged);
  const out = [c.bold(`${t.title} (${t.family}, ${plural(t.rows.length, 'row')})`)];
  // Past `TABLE_ROWS_SHOWN` rows: the flagged ones and the first others; the cut is said.
  const cut = cutRows(t.rows);
  const shown = cut.shown;
  const note = [t.note, marked ? '! marks a row that shows a problem.' : '', cutRowsNote(t.id, cut) ?? ''].filter(Boolean).join(' ');
  const noteLines = note ? [c.dim(wrapAnsi(note, width, { hard: true }))] : [];
  if (t.rows.length === 0) return [...out, '  none', ...noteLines];
  const head = [...(marked ? [''] : []), ...t.columns.map((col) => col.label)];
  const cells = shown.map((r) => t.columns.map((col) => cellText(r.cells[col.key] ?? null)));
  const rows = cells.map((r, n) => [...(marked ? [shown[n]!.flagged ? c.red('!') : ''] : []), ...r]);
  const widths = columnWidths(head, rows);
  // The widest columns wrap, as few as make the table fit with every word whole
  // (`wrappedMinWidth`); a table that would split words is drawn as blocks instead.
  const gaps = 3 * (widths.length - 1);
  const whole = widths.map((w, i) => wrappedMinWidth(head, rows, i, w));
  const order = widths.map((_, i) => i).sort((a, b) => widths[b]! - widths[a]!);
  const wrap: number[] = [];
  const fits = (): boolean => widths.reduce((n, w, j) => n + (wrap.includes(j) ? whole[j]! : w), gaps) <= width;
  for (const i of order) {
    if (fits()) break;
    wrap.push(i);
  }
  const table = fits() ? plainTable(head, rows, width, wrap.length > 0 ? wrap : [head.length - 1]) : undefined;
  if (table?.split('\n').every((l) => l.replace(ANSI, '').length <= width)) return [...out, table, ...noteLines];
  // Too many columns for the width: one block per row.
  const labelWidth = Math.max(...t.columns.map((col) => col.label.length)) + 2;
  cells.forEach((r, n) => {
    const first = `${shown[n]!.flagged ? `${c.red('!')} ` : ''}${c.bold(r[0]!.split('\n').join(', '))}`;
    out.push(wrapAnsi(first, width, { hard: true }));
    t.columns.slice(1).forEach((col, i) => {
      const label = `${col.label}:`.padEnd(labelWidth);
      const lines = r[i + 1]!.split('\n').flatMap((l) => wrapAnsi(l, width - 2 - labelWidth, { hard: true }).split('\n'));
      lines.forEach((l, k) => out.push(`  ${k === 0 ? label : ' '.repeat(labelWidth)}${l}`));
    });
  });
  return [...out, ...noteLines];
}

function verdictBadge(v: Verdict, c: Colors): string {
  if (v === 'GO') return c.bold(c.green('GO'));
  if (v === 'NO-GO') return c.bold(c.red('NO-GO'));
  if (v === 'REPORT-ONLY') return c.bold('REPORT-ONLY');
  return c.bold(c.yellow('INCOMPLETE'));
}

function statusLabel(s: CheckStatus, c: Colors): string {
  switch (s) {
    case 'pass':
      return c.green(s);
    case 'fail':
      return c.red(s);
    case 'error':
    case 'incomplete':
      return c.yellow(s);
    default:
      return c.dim(s);
  }
}

function severityLabel(s: Severity, text: string, c: Colors): string {
  if (s === 'critical') return c.bold(c.red(text));
  if (s === 'high') return c.red(text);
  if (s === 'medium') return c.yellow(text);
  return text;
}
