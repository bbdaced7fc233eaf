/**
 * The view of a report that `templates/report.hbs` draws: every number, label, anchor and CSS
 * class worked out here, so the templates only lay it out (and escape it). A pure function of
 * the report.
 *
 * Scale: built in one pass over the findings. Large groups of minor findings are folded into
 * one row per rule (`foldFindings`); views are made only for the findings shown. A check with
 * more than `rowsShown` findings left is split by rule; each rule shows its first `rowsShown`
 * rows and keeps the rest in a collapsed "show N more" block (listed compactly for printing).
 * A family table past `TABLE_ROWS_SHOWN` rows shows its flagged rows and the first others,
 * the rest collapsed on screen and left to report.json in print; many subjects not assessed
 * for one reason are one entry (`foldUnknowns`); an input lists its first files read.
 */
import { CHECK_STATUSES, FAMILIES, SEVERITIES, type CheckStatus, type Family, type Severity } from '../contract/check.js';
import { resourceLabel } from '../k8s/fingerprint.js';
import type { CheckResult, Finding, Report } from '../contract/report.js';
import { problemsOf } from '../report/problems.js';
import {
  FAMILY_TITLES,
  clusterLabel,
  distributionText,
  evidencePairs,
  familiesOf,
  findingsByCheck,
  isBlocking,
  notAssessedLine,
  unknownsBySubject,
  plural,
  severityRank,
  sourceLabel,
  timeText,
  worstStatus,
} from './common.js';
import {
  TABLE_ROWS_SHOWN,
  cutRows,
  cutRowsNote,
  foldedCount,
  foldedQuery,
  foldFindings,
  foldUnknowns,
  subjectLines,
  type FoldedGroup,
} from './fold.js';
import { picturesFor, type Picture } from './pictures.js';
import { familyTablesView, type FamilyTableView } from './family-tables.js';
import type { Evidence } from '../evidence/stamp.js';
import { firstOf } from '../lists.js';

export interface HtmlViewOptions {
  /** For printing (PDF): every collapsed block open. */
  print: boolean;
  /** Rows shown per rule before "show N more" (default 50). */
  rowsShown?: number;
  /** The digest of the report.json drawn, and the key that signed it (shown in the facts). */
  evidence?: Evidence;
}

interface Text {
  text: string;
  code: boolean;
}

export interface FindingView {
  anchor: string;
  severity: Severity;
  rule: string;
  title: string;
  /** False in a table of one rule (its heading says the title). */
  showTitle: boolean;
  message: string;
  resource: string;
  resourceKind: string;
  time: string | null;
  evidence: Array<{ key: string; value: string }>;
  /** Set when this finding's remediation differs from its group's common one. */
  remediation: Remediation | null;
  /** Links only for http(s) URLs; anything else is shown as text. */
  references: Array<{ href: string | null; text: string }>;
  fingerprint: string;
  checkId: string;
  family: Family;
  waiver: { reason: string; owner: string; expires: string; ticket: string | null } | null;
  baseline: 'new' | 'existing' | 'changed' | null;
  blocking: boolean;
}

/** Remediation as commands (a `<pre>` block) or as a sentence with `code` spans. */
export interface Remediation {
  commands: string | null;
  prose: Text[] | null;
}

/** A folded group of findings (`foldFindings`): one row for the whole rule. */
export interface FoldedView {
  severity: Severity;
  count: string;
  waived: number;
  /** Kinds, namespaces and resources, as `label: text` lines. */
  lines: Array<{ label: string; text: string }>;
  /** The first finding of the group, to show what the findings say. */
  example: { resource: string; message: string; remediation: Remediation | null };
  /** The `jq` command listing the group's findings from report.json (null for unusual ids). */
  query: string | null;
}

export interface FindingGroup {
  /** Set when the group is one rule of a large check (or a folded one). */
  heading: { rule: string; title: string; severity: Severity; count: string } | null;
  /** Set when the group is folded into one row; `shown`, `more` and `compact` are then empty. */
  folded: FoldedView | null;
  shown: FindingView[];
  /** On screen: the rows past `rowsShown`, collapsed. */
  more: FindingView[];
  moreLabel: string;
  /** In print: the rows past `PRINT_DETAILED`, without evidence, in tables of `PRINT_CHUNK`. */
  compact: FindingView[][];
  compactLabel: string;
  hasTime: boolean;
  /** Remediation and references shared by every finding of the group. */
  remediation: Remediation | null;
  references: FindingView['references'];
}

export interface CheckView {
  id: string;
  anchor: string;
  title: string;
  status: CheckStatus;
  reason: string | null;
  evaluated: string;
  findingsCount: number;
  counts: string;
  origin: string | null;
  groups: FindingGroup[];
  /** Subjects not assessed; more than `FOLD_THRESHOLD` with one reason are one entry (`foldUnknowns`). */
  unknowns: Array<{ resource: string; reason: string }>;
  /** How many subjects the check could not assess. */
  unknownsCount: number;
}

export interface FamilyView {
  family: Family;
  anchor: string;
  title: string;
  status: CheckStatus;
  summary: string;
  severities: Array<{ severity: Severity; count: number }>;
  checks: CheckView[];
  pictures: Picture[];
  /** The family's tables (`report.tables`: certificates, APIs, skew matrix, drain order, access review). */
  tables: TableView[];
}

/**
 * A family table as drawn: past `TABLE_ROWS_SHOWN` rows (`cutRows`), the flagged rows and the
 * first others; the rest collapsed on screen, left to report.json in print (`note` says so).
 */
export interface TableView extends FamilyTableView {
  /** `10,001 rows` or `13 rows, 1 flagged`: the whole table. */
  size: string;
  /** On screen: the rows not drawn at first, in a collapsed block. */
  more: FamilyTableView['rows'];
  moreLabel: string;
  /** In print, when rows were left out: how many, and where they are. */
  cutNote: string | null;
}

/** A blocking problem in "What blocks the upgrade". */
export interface BlockingProblemView {
  severity: Severity;
  title: string;
  /** The first line of the root finding's remediation (the whole of it is on the finding). */
  fix: string;
  /** Its findings, the root first: where each is detailed. */
  findings: Array<{ anchor: string; label: string }>;
}

export interface ReportView {
  print: boolean;
  title: string;
  /** The page's `h1`: the report and the cluster (the PDF outline's root). */
  heading: string;
  masthead: { cluster: string; scanned: string };
  verdict: { value: string; cls: string; reason: string; notAssessed: string | null };
  /** `wide`: a long value (a digest) given a whole row. */
  facts: Array<{ label: string; value: string; wide?: boolean }>;
  severities: Array<{ severity: Severity; count: number }>;
  waived: number;
  checkStatuses: Array<{ status: CheckStatus; count: number }>;
  /**
   * Every blocking problem (root cause first: `problems.ts`), each with the first line of its fix
   * and links to its findings in the family sections.
   */
  blocking: { problems: BlockingProblemView[]; findings: number; failOn: string; gateOff: boolean };
  overview: Array<{
    anchor: string;
    title: string;
    status: CheckStatus;
    checks: number;
    severities: Array<{ severity: Severity; count: number }>;
  }>;
  families: FamilyView[];
  coverage: {
    summary: string;
    notAssessed: Array<{ id: string; anchor: string; family: string; status: CheckStatus; reason: string }>;
    /** `checkIds`: every check the subject is an unknown of. */
    unknowns: Array<{ checkIds: string[]; resource: string; reason: string }>;
    absentFamilies: string[];
    noCluster: boolean;
    inputsNotOk: Array<{ key: string; status: string; reason: string }>;
    /** The permission plan of a live scan: reads the identity may not do, and what they cost. */
    permissions: {
      reviewed: number;
      error: string | null;
      denied: Array<{ request: string; requiredBy: string; optionalFor: string; reason: string }>;
    } | null;
    checks: Array<{ id: string; anchor: string; family: string; status: CheckStatus; evaluated: number; counts: string; reason: string }>;
    /** `usedBy`: the checks that need the input (`required`) and those that read it when present (`optional`). */
    inputs: Array<{
      key: string;
      status: string;
      count: string;
      /** The first `SOURCES_LISTED` files read. */
      sources: string[];
      /** `… and 295 more files`, or empty. */
      sourcesMore: string;
      usedBy: { required: string[]; optional: string[] };
      reason: string;
    }>;
  };
  warnings: string[];
  waivers: {
    file: string;
    entries: Array<{
      index: number;
      what: string;
      state: string;
      stateCls: string;
      matched: number;
      owner: string;
      expires: string;
      ticket: string;
      reason: string;
    }>;
  } | null;
  baseline: {
    file: string;
    generatedAt: string;
    new: number;
    existing: number;
    changed: number;
    resolved: Array<{ severity: Severity; checkId: string; resource: string; title: string }>;
  } | null;
  about: Array<{ label: string; value: string }>;
  filters: { severities: Array<{ severity: Severity; count: number }>; families: Array<{ family: Family; title: string }> };
}

/** In print, a rule's findings shown with their evidence; the rest are listed compactly. */
const PRINT_DETAILED = 20;
const PRINT_CHUNK = 100;

const VERDICT_CLASS = { GO: 'go', 'NO-GO': 'nogo', INCOMPLETE: 'incomplete', 'REPORT-ONLY': 'report' } as const;

/** Splits remediation text: backquoted spans become code in a sentence; plain lines are commands. */
export function remediationOf(text: string): Remediation | null {
  if (text.trim() === '') return null;
  if (!text.includes('`')) return { commands: text.trim(), prose: null };
  const parts = text
    .split('`')
    .map((t, i) => ({ text: t, code: i % 2 === 1 }))
    .filter((p) => p.text !== '');
  return { commands: null, prose: parts };
}

function counts(c: Record<Severity, number>): string {
  const parts = SEVERITIES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function sevList(c: Record<Severity, number>): Array<{ severity: Severity; count: number }> {
  return SEVERITIES.map((s) => ({ severity: s, count: c[s] }));
}

function checkAnchor(id: string): string {
  return `check-${id.replace(/[^a-z0-9-]/g, '-')}`;
}

/** A reference as a link (http and https URLs only) or as text. */
function referenceView(r: string): { href: string | null; text: string } {
  return { href: /^https?:\/\//i.test(r) ? r : null, text: r.replace(/^https?:\/\//i, '') };
}

function findingView(f: Finding, report: Report, family: Family, anchor: string): FindingView {
  return {
    anchor,
    severity: f.severity,
    rule: f.rule,
    title: f.title,
    showTitle: true,
    message: f.message,
    resource: resourceLabel(f.resource),
    resourceKind: 'file' in f.resource ? 'file' : f.resource.kind,
    time: timeText(f.evidence) ?? null,
    evidence: evidencePairs(f.evidence),
    remediation: remediationOf(f.remediation),
    references: f.references.map(referenceView),
    fingerprint: f.fingerprint,
    checkId: f.checkId,
    family,
    waiver: f.waiver
      ? { reason: f.waiver.reason, owner: f.waiver.owner, expires: f.waiver.expires, ticket: f.waiver.ticket ?? null }
      : null,
    baseline: f.baseline ?? null,
    blocking: isBlocking(f, report),
  };
}

const same = (xs: unknown[]): boolean => xs.length > 1 && xs.every((x) => JSON.stringify(x) === JSON.stringify(xs[0]));

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * A table of findings. Remediation and references shared by every row are shown once above
 * it. On screen, rows past `rowsShown` go in a collapsed block. In print, a rule's rows past
 * `PRINT_DETAILED` are listed compactly (no evidence, tables of `PRINT_CHUNK` rows): a PDF of
 * thousands of findings stays readable and Chromium prints it in reasonable time.
 */
function group(views: FindingView[], heading: FindingGroup['heading'], rowsShown: number, print: boolean): FindingGroup {
  const commonFix = same(views.map((v) => v.remediation));
  const commonRefs = same(views.map((v) => v.references));
  const rows = views.map((v) => ({
    ...v,
    showTitle: heading === null,
    remediation: commonFix ? null : v.remediation,
    references: commonRefs ? [] : v.references,
  }));
  const cut = print ? (heading ? PRINT_DETAILED : rows.length) : rowsShown;
  const rest = rows.slice(cut);
  return {
    heading,
    folded: null,
    shown: rows.slice(0, cut),
    more: print ? [] : rest,
    moreLabel: `Show ${plural(rest.length, 'more finding')}${heading ? ` of ${heading.title}` : ''}`,
    compact: print ? chunks(rest, PRINT_CHUNK) : [],
    compactLabel:
      `The other ${plural(rest.length, 'finding')}${heading ? ` of ${heading.title}` : ''}, without ` +
      `their evidence (it is in report.json and report.html):`,
    hasTime: rows.some((v) => v.time !== null),
    remediation: commonFix ? (views[0]!.remediation ?? null) : null,
    references: commonRefs ? views[0]!.references : [],
  };
}

/** A folded group as one row; its remediation shown once when every finding shares it. */
function foldedGroup(g: FoldedGroup): FindingGroup {
  const first = g.findings[0]!;
  const remediation = g.remediation === null ? null : remediationOf(g.remediation);
  return {
    heading: { rule: g.rule, title: g.title, severity: g.severity, count: foldedCount(g) },
    folded: {
      severity: g.severity,
      count: plural(g.findings.length, 'finding'),
      waived: g.waived,
      lines: subjectLines(g.subjects),
      example: {
        resource: resourceLabel(first.resource),
        message: first.message,
        remediation: remediation ? null : remediationOf(first.remediation),
      },
      query: foldedQuery(g),
    },
    shown: [],
    more: [],
    moreLabel: '',
    compact: [],
    compactLabel: '',
    hasTime: false,
    remediation,
    references: (g.references ?? []).map(referenceView),
  };
}

function checkView(
  check: CheckResult,
  findings: Finding[],
  report: Report,
  viewOf: (f: Finding) => FindingView,
  rowsShown: number,
  print: boolean,
): CheckView {
  // Worst first; the sort is stable, so report order within a severity.
  const sorted = [...findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  const rows: FindingView[] = [];
  const folded: FindingGroup[] = [];
  for (const item of foldFindings(sorted, report)) {
    if (item.folded) folded.push(foldedGroup(item.folded));
    else rows.push(viewOf(item.finding));
  }
  let groups: FindingGroup[] = [];
  if (rows.length > 0 && rows.length <= rowsShown) groups = [group(rows, null, rowsShown, print)];
  else if (rows.length > rowsShown) {
    const byRule = new Map<string, FindingView[]>();
    for (const v of rows) {
      const list = byRule.get(v.rule);
      if (list) list.push(v);
      else byRule.set(v.rule, [v]);
    }
    groups = [...byRule.entries()].map(([rule, vs]) =>
      group(vs, { rule, title: vs[0]!.title, severity: vs[0]!.severity, count: plural(vs.length, 'finding') }, rowsShown, print),
    );
  }
  return {
    id: check.id,
    anchor: checkAnchor(check.id),
    title: check.title,
    status: check.status,
    reason: check.reason ?? null,
    evaluated: plural(check.evaluated, 'subject'),
    findingsCount: findings.length,
    counts: counts(check.findings),
    origin: check.origin === 'builtin' ? null : check.origin,
    groups: [...groups, ...folded],
    unknowns: foldUnknowns(check.unknowns.map((u) => ({ label: resourceLabel(u.resource), reason: u.reason, checkIds: [check.id] }))).map(
      (u) => ({ resource: u.label, reason: u.reason }),
    ),
    unknownsCount: check.unknowns.length,
  };
}

/** A family table cut to `TABLE_ROWS_SHOWN` rows (`cutRows`): the rest collapsed on screen, counted in print. */
function tableView(t: FamilyTableView, print: boolean): TableView {
  const cut = cutRows(t.rows, TABLE_ROWS_SHOWN);
  return {
    ...t,
    rows: cut.shown,
    size: `${plural(t.rows.length, 'row')}${t.flagged > 0 ? `, ${t.flagged.toLocaleString('en-US')} flagged` : ''}`,
    more: print ? [] : cut.rest,
    moreLabel:
      `Show ${plural(cut.rest.length, 'more row')}` + (cut.restFlagged > 0 ? ` (${cut.restFlagged.toLocaleString('en-US')} flagged)` : ''),
    cutNote: print ? cutRowsNote(t.id, cut) : null,
  };
}

/** Files an input was read from, listed in the coverage table; the rest are counted. */
const SOURCES_LISTED = 20;

/**
 * Who or what read the cluster, as far as the report knows: for a live scan the kubeconfig
 * context (the report does not record the user name the API server authenticated), for a dump
 * the digest of the dump and who collected it (metadata.json `collectedBy`) when it says.
 */
export function scannedAs(report: Report): string {
  const s = report.metadata.source;
  if (s.type === 'live') {
    const where = s.context
      ? `live, kubeconfig context ${s.context}${s.server ? ` (${s.server})` : ''}`
      : `live, ${s.server ?? s.location}`;
    return `${where}${whoScanned(s)}`;
  }
  if (s.type === 'dump') {
    const by = s.collectedBy ? `, collected by ${s.collectedBy}` : '';
    return `offline dump ${s.sha256 ? `sha256:${s.sha256}` : s.location}${by}`;
  }
  return 'no cluster (--no-cluster): only the files given on the command line';
}

/** How many of the user's groups `scannedAs` names before "+N more". */
const GROUPS_NAMED = 4;

/** `, as user U (groups …)` for a live scan whose user the API server named; else why not. */
function whoScanned(s: Report['metadata']['source']): string {
  if (s.user) {
    const groups = s.user.groups.length === 0 ? '' : ` (groups ${firstOf(s.user.groups, GROUPS_NAMED)})`;
    return `, as user ${s.user.username}${groups}`;
  }
  return s.userError ? `; user not known: ${s.userError}` : '';
}

function fmtTime(iso: string | undefined): string {
  if (!iso) return 'unknown';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Builds the view of a report. */
export function htmlView(report: Report, opts: HtmlViewOptions): ReportView {
  const rowsShown = opts.rowsShown ?? 50;
  const m = report.metadata;
  const familyOf = new Map(report.checks.map((c) => [c.id, c.family]));
  // Anchors unique even if two findings share a fingerprint; a view only for a finding shown.
  const anchors = new Map<Finding, string>();
  const used = new Set<string>();
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  let blockingFindings = 0;
  const views = new Map<Finding, FindingView>();
  const viewOf = (f: Finding): FindingView => {
    let v = views.get(f);
    if (!v) {
      v = findingView(f, report, familyOf.get(f.checkId) ?? 'versions', anchors.get(f)!);
      views.set(f, v);
    }
    return v;
  };
  for (const f of report.findings) {
    let anchor = `f-${f.fingerprint}`;
    for (let i = 2; used.has(anchor); i++) anchor = `f-${f.fingerprint}-${i}`;
    used.add(anchor);
    anchors.set(f, anchor);
    bySeverity[f.severity]++;
    if (isBlocking(f, report)) blockingFindings++;
  }
  const byPrint = new Map(report.findings.map((f) => [f.fingerprint, f]));
  const blockingProblems: BlockingProblemView[] = problemsOf(report)
    .filter((p) => p.blocking)
    .map((p) => ({
      severity: p.severity,
      title: p.title,
      fix: p.fix.split('\n').find((l) => l.trim() !== '') ?? '',
      findings: p.findings.flatMap((fp) => {
        const f = byPrint.get(fp);
        return f ? [{ anchor: anchors.get(f)!, label: `${f.checkId} · ${resourceLabel(f.resource)}` }] : [];
      }),
    }));
  const byCheck = findingsByCheck(report);

  const families: FamilyView[] = familiesOf(report).map(({ family, checks }) => {
    const sev: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (const c of checks) for (const s of SEVERITIES) sev[s] += c.findings[s];
    const evaluated = checks.reduce((n, c) => n + c.evaluated, 0);
    const total = SEVERITIES.reduce((n, s) => n + sev[s], 0);
    return {
      family,
      anchor: `family-${family}`,
      title: FAMILY_TITLES[family],
      status: worstStatus(checks),
      summary: `${plural(checks.length, 'check')}, ${plural(evaluated, 'subject')} evaluated, ${plural(total, 'finding')}.`,
      severities: sevList(sev),
      checks: checks.map((c) => checkView(c, byCheck.get(c.id) ?? [], report, viewOf, rowsShown, opts.print)),
      pictures: picturesFor(family, checks),
      tables: familyTablesView(report.tables, family).map((t) => tableView(t, opts.print)),
    };
  });

  // The checks the verdict counts as not fully assessed, and each subject not assessed once,
  // with every check it affects (an unread input is an unknown of each check declaring it).
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const notAssessed = report.summary.notAssessed.map((n) => {
    const c = byId.get(n.checkId);
    return { id: n.checkId, anchor: checkAnchor(n.checkId), family: c ? FAMILY_TITLES[c.family] : '', status: n.status, reason: n.reason };
  });
  const bySubject = unknownsBySubject(report);
  const unknowns = foldUnknowns(bySubject).map((e) => ({ checkIds: e.checkIds, resource: e.label, reason: e.reason }));
  const present = new Set(report.checks.map((c) => c.family));
  const ran = report.checks.filter((c) => c.status !== 'skipped').length;
  const fully = ran - notAssessed.length;

  const facts: ReportView['facts'] = [
    { label: 'Cluster', value: clusterLabel(report) },
    { label: 'Kubernetes version', value: m.cluster.gitVersion ?? 'unknown (version not read)' },
    {
      label: 'Target version',
      value:
        m.targetVersion ??
        (m.assumedTargetVersion
          ? `${m.assumedTargetVersion} (assumed: the next minor; no --target-version)`
          : 'not given (--target-version)'),
    },
    { label: 'Source', value: sourceLabel(report) },
    { label: 'Scanned', value: fmtTime(m.generatedAt) },
    { label: 'Judged as of', value: fmtTime(m.now) },
  ];
  const distribution = distributionText(report);
  if (distribution) facts.splice(2, 0, { label: 'Distribution', value: distribution });
  if (m.source.collectedAt) facts.push({ label: 'Data collected', value: fmtTime(m.source.collectedAt) });
  facts.push({ label: 'Fails on', value: m.failOn === 'none' ? 'nothing (--fail-on none)' : `${m.failOn} and above` });
  facts.push({ label: 'Scanned as', value: scannedAs(report), wide: true });
  if (opts.evidence) facts.push({ label: 'report.json SHA-256', value: opts.evidence.reportSha256, wide: true });
  if (opts.evidence?.signer)
    facts.push({ label: 'Signed by', value: `key ${opts.evidence.signer} (report.json.sig; kube-preflight verify)`, wide: true });

  const about: ReportView['about'] = [
    { label: 'Tool', value: `${m.tool.name} ${m.tool.version}` },
    { label: 'Check catalog', value: m.tool.catalogVersion },
    { label: 'Source', value: `${m.source.type} ${m.source.location}` },
  ];
  if (m.source.server) about.push({ label: 'API server', value: m.source.server });
  if (m.source.context) about.push({ label: 'Context', value: m.source.context });
  if (m.source.sha256) about.push({ label: 'Dump SHA-256', value: m.source.sha256 });
  if (m.cluster.uid) about.push({ label: 'Cluster uid (kube-system)', value: m.cluster.uid });
  if (m.selection?.checks) about.push({ label: 'Selected (--checks)', value: m.selection.checks.join(', ') });
  if (m.selection?.skip) about.push({ label: 'Skipped (--skip)', value: m.selection.skip.join(', ') });
  if (m.selection?.config) about.push({ label: 'Config', value: m.selection.config });
  if (m.selection?.set) about.push({ label: 'Settings (--set)', value: m.selection.set.join(', ') });
  if (m.selection?.plugins) about.push({ label: 'Plugins', value: m.selection.plugins.join(', ') });
  about.push({ label: 'Report generated', value: m.generatedAt });
  if (opts.evidence) about.push({ label: 'report.json SHA-256', value: opts.evidence.reportSha256 });

  return {
    print: opts.print,
    title: `Upgrade readiness: ${clusterLabel(report)} — ${report.summary.verdict}`,
    heading: `Upgrade readiness: ${clusterLabel(report)}`,
    masthead: { cluster: clusterLabel(report), scanned: fmtTime(m.generatedAt) },
    verdict: {
      value: report.summary.verdict,
      cls: VERDICT_CLASS[report.summary.verdict],
      reason: report.summary.reason,
      notAssessed: notAssessedLine(report),
    },
    facts,
    severities: sevList(report.summary.findings),
    waived: report.summary.findings.waived,
    checkStatuses: CHECK_STATUSES.map((s) => ({ status: s, count: report.summary.checks[s] })).filter((s) => s.count > 0),
    blocking: { problems: blockingProblems, findings: blockingFindings, failOn: m.failOn, gateOff: m.failOn === 'none' },
    overview: families.map((f) => ({
      anchor: f.anchor,
      title: f.title,
      status: f.status,
      checks: f.checks.length,
      severities: f.severities,
    })),
    families,
    coverage: {
      summary:
        `${plural(ran, 'check')} ran: ${fully} fully assessed, ${notAssessed.length} not (in error, or ` +
        `with subjects they could not judge); ${plural(bySubject.length, 'subject')} not assessed.`,
      notAssessed,
      unknowns,
      absentFamilies: FAMILIES.filter((f) => !present.has(f)).map((f) => FAMILY_TITLES[f]),
      permissions: report.permissions
        ? {
            reviewed: report.permissions.reviewed,
            error: report.permissions.error ?? null,
            denied: report.permissions.denied.map((d) => ({
              request: d.request,
              requiredBy: d.requiredBy.join(', '),
              optionalFor: d.optionalFor.join(', '),
              reason: d.reason ?? '',
            })),
          }
        : null,
      noCluster: m.source.type === 'none',
      inputsNotOk: report.inputs.flatMap((i) =>
        i.status !== 'ok' && i.status !== 'absent'
          ? [{ key: i.key, status: i.status, reason: i.reason ?? '' }]
          : (i.partial ?? []).map((p) => ({ key: i.key, status: `${p.subjects}: ${p.status}`, reason: p.reason })),
      ),
      checks: report.checks.map((c) => ({
        id: c.id,
        anchor: checkAnchor(c.id),
        family: FAMILY_TITLES[c.family],
        status: c.status,
        evaluated: c.evaluated,
        counts: counts(c.findings),
        reason: c.reason ?? '',
      })),
      inputs: report.inputs.map((i) => ({
        key: i.key,
        status: i.status,
        count: i.count === undefined ? '' : String(i.count),
        sources: (i.sources ?? []).slice(0, SOURCES_LISTED),
        sourcesMore:
          (i.sources ?? []).length > SOURCES_LISTED ? `… and ${plural((i.sources ?? []).length - SOURCES_LISTED, 'more file')}` : '',
        usedBy: { required: i.usedBy.required, optional: i.usedBy.optional },
        reason: i.reason ?? '',
      })),
    },
    warnings: m.warnings,
    waivers: report.waivers
      ? {
          file: report.waivers.file,
          entries: report.waivers.entries.map((w) => ({
            index: w.index,
            what: w.fingerprint
              ? `fingerprint ${w.fingerprint}`
              : `${w.checkId ?? ''}${
                  w.resource
                    ? ` ${Object.entries(w.resource)
                        .map(([k, v]) => `${k}=${v}`)
                        .join(' ')}`
                    : ''
                }`,
            state:
              w.state === 'applied'
                ? `covers ${plural(w.matched, 'finding')}`
                : w.state === 'expired'
                  ? `expired on ${w.expires}; no longer applies`
                  : 'stale: matches no finding',
            stateCls: w.state,
            matched: w.matched,
            owner: w.owner,
            expires: w.expires,
            ticket: w.ticket ?? '',
            reason: w.reason,
          })),
        }
      : null,
    baseline: report.baseline
      ? {
          file: report.baseline.file,
          generatedAt: fmtTime(report.baseline.generatedAt),
          new: report.baseline.new,
          existing: report.baseline.existing,
          changed: report.baseline.changed.length,
          resolved: report.baseline.resolved.map((r) => ({
            severity: r.severity,
            checkId: r.checkId,
            resource: resourceLabel(r.resource),
            title: r.title,
          })),
        }
      : null,
    about,
    filters: {
      severities: sevList(bySeverity),
      families: families.map((f) => ({ family: f.family, title: f.title })),
    },
  };
}
