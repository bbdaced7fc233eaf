/**
 * The terminal summary: verdict, per-check status, findings table. Colours only when asked
 * (the CLI enables them on a TTY, unless NO_COLOR is set). Every string of the report is passed
 * through `terminalSafe` first (control characters and bidi controls shown escaped), then the
 * renderer adds its own line breaks, indents and colours. Large groups of minor findings are
 * one block per rule (`foldFindings`): count, kinds, namespaces, the first resources.
 */
import pc from 'picocolors';
import wrapAnsi from 'wrap-ansi';
import type { CheckStatus, Severity, Verdict } from '../engine/types.js';
import { SEVERITIES } from '../engine/types.js';
import { resourceLabel } from '../report/fingerprint.js';
import type { Report } from '../report/model.js';
import { FORMAT_NAMES } from '../sources/formats.js';
import { distributionText, notAssessedLine, unknownsBySubject } from './common.js';
import { foldedCount, foldedQuery, foldFindings, subjectLines } from './fold.js';
import { terminalSafeDeep } from './escape.js';
import { plainTable } from './table.js';

export interface TextOptions {
  color: boolean;
  /** Terminal width in columns (tables wrap to it). */
  width: number;
}

type Colors = ReturnType<typeof pc.createColors>;

const SEV_SHORT: Record<Severity, string> = { critical: 'C', high: 'H', medium: 'M', low: 'L', info: 'I' };

/** Renders the report for a terminal or `report.txt`. */
export function renderText(input: Report, opts: TextOptions): string {
  // Check details (drawn only in HTML) are left out: they can hold megabytes.
  const report = terminalSafeDeep({ ...input, checks: input.checks.map(({ details: _, ...c }) => c) });
  const c = pc.createColors(opts.color);
  const m = report.metadata;
  const out: string[] = [];
  const src =
    m.source.type === 'dump' ? `dump ${m.source.location}${m.source.format ? ` (${FORMAT_NAMES[m.source.format]})` : ''}` : m.source.type === 'none' ? 'no cluster' : `live ${m.source.context ?? ''} ${m.source.server ?? m.source.location}`.trim();
  out.push(
    c.bold('kube-preflight') +
      ` ${m.tool.version} · ${src}${m.source.type === 'none' ? '' : ` · cluster ${m.cluster.gitVersion ?? 'version unknown'}`}` +
      `${m.targetVersion ? ` · target ${m.targetVersion}` : m.assumedTargetVersion ? ` · target ${m.assumedTargetVersion} (assumed: the next minor; no --target-version)` : ''} · fail-on ${m.failOn} · now ${m.now}`,
  );
  const distribution = distributionText(report);
  if (distribution) out.push(wrapAnsi(`Distribution: ${distribution}`, Math.max(80, opts.width), { hard: true }));
  out.push('');
  const lineWidth = Math.max(80, opts.width);
  out.push(wrapAnsi(`${verdictBadge(report.summary.verdict, c)}  ${report.summary.reason}`, lineWidth, { hard: true }));
  const gaps = notAssessedLine(report);
  if (gaps) out.push(c.yellow(wrapAnsi(gaps, lineWidth, { hard: true })));
  const f = report.summary.findings;
  out.push(`Findings: ${SEVERITIES.map((s) => `${f[s]} ${s}`).join(' · ')} · ${f.waived} waived`);
  const k = report.summary.checks;
  out.push(`Checks:   ${(['pass', 'fail', 'incomplete', 'error', 'not-applicable', 'skipped'] as CheckStatus[]).map((s) => `${k[s]} ${s}`).join(' · ')}`);

  if (m.warnings.length > 0) {
    out.push('');
    out.push(c.yellow('Warnings:'));
    for (const w of m.warnings) out.push(`  - ${w}`);
  }

  out.push('');
  const width = Math.max(80, opts.width);
  const checkRows = report.checks.map((ch) => {
    const counts = SEVERITIES.filter((s) => ch.findings[s] > 0).map((s) => `${ch.findings[s]}${SEV_SHORT[s]}`).join(' ');
    // Subjects not assessed are listed once, with their reasons, under "Not assessed".
    const note = ch.status !== 'error' && ch.unknowns.length > 0 ? `${ch.unknowns.length} not assessed (see below)` : (ch.reason ?? '');
    return [ch.id, statusLabel(ch.status, c), counts || '-', String(ch.evaluated), note];
  });
  out.push(plainTable(['CHECK', 'STATUS', 'FINDINGS', 'EVALUATED', 'NOTE'], checkRows, width));

  if (report.findings.length > 0) {
    out.push('');
    out.push(c.bold(`Findings (${report.findings.length})`));
    // One block per finding: severity, check · rule and resource on the first line, the
    // message wrapped under it (a table leaves long messages too little room). A large group
    // of minor findings is one block: count, kinds, namespaces and the first resources.
    const indent = ' '.repeat(12);
    for (const item of foldFindings(report.findings, report)) {
      if (item.folded) {
        const g = item.folded;
        out.push(`${severityLabel(g.severity, g.severity.toUpperCase().padEnd(10), c)}  ${g.checkId} ${c.dim(`· ${g.rule}`)}  ${c.bold(foldedCount(g))}`);
        const query = foldedQuery(g);
        const lines = [g.title, ...subjectLines(g.subjects).map((l) => `${l.label}: ${l.text}`), `Every finding is in report.json${query ? `: ${query}` : '.'}`];
        for (const l of lines) out.push(wrapAnsi(l, width - indent.length, { hard: true }).replace(/^/gm, indent));
        continue;
      }
      const fi = item.finding;
      const sev = `${fi.severity.toUpperCase()}${fi.waiver ? ' (waived)' : fi.baseline === 'existing' ? ' (baseline)' : fi.previous ? ` (was ${fi.previous.severity})` : ''}`;
      out.push(`${severityLabel(fi.severity, sev.padEnd(10), c)}  ${fi.checkId} ${c.dim(`· ${fi.rule}`)}  ${c.bold(resourceLabel(fi.resource))}`);
      out.push(wrapAnsi(fi.message, width - indent.length, { hard: true }).replace(/^/gm, indent));
    }
  }

  if (report.baseline) {
    const b = report.baseline;
    out.push('');
    out.push(`Baseline ${b.file} (${b.generatedAt}): ${b.new} new, ${b.existing} still present, ${b.changed.length} changed, ${b.resolved.length} resolved`);
    for (const r of b.changed) out.push(`  changed: ${r.previous.severity} → ${r.severity}${r.previous.rule !== r.rule ? ` (rule ${r.previous.rule} → ${r.rule})` : ''} ${r.checkId} ${resourceLabel(r.resource)} — ${r.title}`);
    for (const r of b.resolved) out.push(`  resolved: ${r.severity} ${r.checkId} ${resourceLabel(r.resource)} — ${r.title}`);
  }
  if (report.waivers) {
    out.push('');
    out.push(c.bold(`Waivers (${report.waivers.file})`));
    for (const w of report.waivers.entries) {
      const what = w.fingerprint ? `fingerprint ${w.fingerprint}` : `${w.checkId}${w.rule ? ` rule ${w.rule}` : ''}${w.resource ? ` ${JSON.stringify(w.resource)}` : ''}`;
      const state = w.state === 'applied' ? `covers ${w.matched} finding(s)` : w.state === 'expired' ? c.yellow(`EXPIRED on ${w.expires}, no longer applies${w.matched ? ` (${w.matched} finding(s) count again)` : ''}`) : c.yellow('stale: matches no finding');
      out.push(`  [${w.index}] ${what} — ${state}; owner ${w.owner}, expires ${w.expires}${w.ticket ? `, ${w.ticket}` : ''}`);
    }
  }

  if (report.permissions && (report.permissions.denied.length > 0 || report.permissions.error)) {
    out.push('');
    out.push(c.bold('Permission plan'));
    if (report.permissions.error) out.push(`  unavailable: ${report.permissions.error}`);
    for (const d of report.permissions.denied) {
      out.push(`  forbidden: ${d.request}${d.requiredBy.length ? ` — needed by ${d.requiredBy.join(', ')}` : ''}${d.optionalFor.length ? ` — less evidence for ${d.optionalFor.join(', ')}` : ''}`);
    }
  }

  const unread = report.inputs.filter((i) => (i.status !== 'ok' && i.status !== 'absent') || (i.partial ?? []).length > 0);
  if (unread.length > 0) {
    out.push('');
    out.push(c.bold(m.source.type === 'none' ? 'Inputs not read (--no-cluster: cluster data is out of scope)' : 'Inputs not read, in whole or in part'));
    for (const i of unread) {
      const users = [...i.usedBy.required, ...i.usedBy.optional];
      if (i.status !== 'ok' && i.status !== 'absent') {
        const line = `${i.key}: ${i.status}${i.reason ? ` — ${i.reason}` : ''}${i.usedBy.required.length ? ` (needed by ${i.usedBy.required.join(', ')})` : ''}`;
        out.push(wrapAnsi(line, width - 2, { hard: true }).replace(/^/gm, '  ').replace(/\n {2}/g, '\n      '));
      } else {
        for (const p of i.partial ?? []) {
          const line = `${i.key}: ${p.subjects} ${p.status} — ${p.reason} (used by ${users.join(', ')})`;
          out.push(wrapAnsi(line, width - 2, { hard: true }).replace(/^/gm, '  ').replace(/\n {2}/g, '\n      '));
        }
      }
    }
  }
  // One line per subject not assessed, with the checks it affects.
  const bySubject = unknownsBySubject(report);
  if (bySubject.length > 0) {
    out.push('');
    out.push(c.bold('Not assessed'));
    for (const e of bySubject) {
      out.push(`  ${c.bold(e.label)}  ${c.dim(e.checkIds.join(', '))}`);
      out.push(wrapAnsi(e.reason, width - 6, { hard: true }).replace(/^/gm, '      '));
    }
  }
  return out.join('\n') + '\n';
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
