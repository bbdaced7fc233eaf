/**
 * Folding large groups of minor findings for the readable reports (HTML, PDF, text, markdown).
 *
 * A scan of a large cluster can hold thousands of findings of one systemic issue (every
 * Deployment without a PodDisruptionBudget, every node whose drain deletes emptyDir data).
 * Listed one by one they bury the rest; folded, they are one row per rule: the count, the
 * kinds, the namespaces with their counts and the first subjects by name.
 *
 * What folds: more than `FOLD_THRESHOLD` findings of one check, rule and severity, of severity
 * `low` or `info`, none of them blocking the verdict (`isBlocking`: at or above `--fail-on`,
 * unwaived, new against a baseline). Blocking findings are never folded, whatever their number.
 * Nothing is dropped: `report.json` keeps every finding with its evidence and fingerprint, and
 * the folded row says how to list them.
 *
 * Pure functions of the report, linear in the number of findings.
 */
import type { Severity } from '../contract/check.js';
import { resourceLabel } from '../k8s/fingerprint.js';
import type { Finding, Report } from '../contract/report.js';
import { isBlocking, plural } from './common.js';

/** A group folds when it holds more than this many findings. */
export const FOLD_THRESHOLD = 20;

/** Severities whose groups may fold. */
export const FOLD_SEVERITIES: readonly Severity[] = ['low', 'info'];

/** Namespaces and kinds listed by name in a folded row; the rest are counted. */
export const FOLD_LISTED = 10;

/** Resources listed by name in a folded row (a wrapped comma list); the rest are counted. */
export const FOLD_NAMES = 40;

/**
 * Rows of a report table (`report.tables`) drawn in the PDF and the text report; the others
 * are counted, and listed in report.json (`.tables`). The HTML page keeps them, collapsed.
 */
export const TABLE_ROWS_SHOWN = 40;

/** A name with how many findings of the group concern it. */
export interface Counted {
  name: string;
  count: number;
}

/** Who the findings of a folded group concern, compactly. */
export interface SubjectSummary {
  /** Kinds of the resources (`file` for files), most findings first, then by name. */
  kinds: Counted[];
  /** Kinds not listed (past `FOLD_LISTED`). */
  kindsMore: number;
  /** Namespaces of the resources, most findings first, then by name; at most `FOLD_LISTED`. */
  namespaces: Counted[];
  /** How many namespaces in all. */
  namespaceCount: number;
  /** Findings whose resource has no namespace (cluster-scoped objects, files). */
  clusterScoped: number;
  /** The first `FOLD_NAMES` resources in report order, as `namespace/name` (or the file path). */
  names: string[];
  /** Resources not listed by name. */
  namesMore: number;
}

/** Findings of one check, rule and severity shown as one row. */
export interface FoldedGroup {
  checkId: string;
  rule: string;
  severity: Severity;
  title: string;
  /** The folded findings, in report order (at least `FOLD_THRESHOLD + 1`). */
  findings: Finding[];
  /** How many of them are waived. */
  waived: number;
  subjects: SubjectSummary;
  /** The remediation when every finding of the group has the same one, else null. */
  remediation: string | null;
  /** The references when every finding of the group has the same ones, else null. */
  references: string[] | null;
}

/** One entry of a folded list: a finding shown as it is, or a folded group in its place. */
export type FoldItem = { finding: Finding; folded?: undefined } | { folded: FoldedGroup; finding?: undefined };

const keyOf = (f: Finding): string => `${f.checkId}\u0000${f.rule}\u0000${f.severity}`;

/**
 * Folds `findings` (any subset of the report's, in the order to show them): each group that
 * folds takes the place of its first finding, the other findings keep their order. `report`
 * gives the `--fail-on` gate. Linear in the number of findings.
 */
export function foldFindings(findings: readonly Finding[], report: Report, threshold = FOLD_THRESHOLD): FoldItem[] {
  const groups = new Map<string, Finding[]>();
  const foldable = new Set<Finding>();
  for (const f of findings) {
    if (!FOLD_SEVERITIES.includes(f.severity) || isBlocking(f, report)) continue;
    foldable.add(f);
    const list = groups.get(keyOf(f));
    if (list) list.push(f);
    else groups.set(keyOf(f), [f]);
  }
  const out: FoldItem[] = [];
  const placed = new Set<string>();
  for (const f of findings) {
    const key = keyOf(f);
    const members = groups.get(key);
    if (!members || members.length <= threshold || !foldable.has(f)) out.push({ finding: f });
    else if (!placed.has(key)) {
      placed.add(key);
      out.push({
        folded: { checkId: f.checkId, rule: f.rule, severity: f.severity, title: f.title, findings: members, ...describe(members) },
      });
    }
  }
  return out;
}

/** The folded groups among `items`. */
export function foldedGroups(items: readonly FoldItem[]): FoldedGroup[] {
  return items.flatMap((i) => (i.folded ? [i.folded] : []));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function describe(findings: Finding[]): Pick<FoldedGroup, 'waived' | 'subjects' | 'remediation' | 'references'> {
  const kinds = new Map<string, number>();
  const namespaces = new Map<string, number>();
  let clusterScoped = 0;
  let waived = 0;
  let remediation: string | null = findings[0]!.remediation;
  let references: string[] | null = findings[0]!.references;
  for (const f of findings) {
    const r = f.resource;
    const kind = 'file' in r ? 'file' : r.kind;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const ns = 'file' in r ? undefined : r.namespace;
    if (ns) namespaces.set(ns, (namespaces.get(ns) ?? 0) + 1);
    else clusterScoped++;
    if (f.waiver) waived++;
    if (remediation !== null && f.remediation !== remediation) remediation = null;
    if (references !== null && !sameList(f.references, references)) references = null;
  }
  const ranked = (m: Map<string, number>): Counted[] =>
    [...m.entries()]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const allKinds = ranked(kinds);
  const names = findings.slice(0, FOLD_NAMES).map((f) => shortName(f));
  return {
    waived,
    subjects: {
      kinds: allKinds.slice(0, FOLD_LISTED),
      kindsMore: Math.max(0, allKinds.length - FOLD_LISTED),
      namespaces: ranked(namespaces).slice(0, FOLD_LISTED),
      namespaceCount: namespaces.size,
      clusterScoped,
      names,
      namesMore: findings.length - names.length,
    },
    remediation: remediation === '' ? null : remediation,
    references: references && references.length > 0 ? references : null,
  };
}

/** `team-1/app-7`, `node-3`, `pki/apiserver.crt [field]`: a resource without its kind. */
function shortName(f: Finding): string {
  const r = f.resource;
  if ('file' in r) return resourceLabel(r);
  return `${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.field ? ` [${r.field}]` : ''}`;
}

const counted = (xs: Counted[]): string => xs.map((x) => `${x.name} (${x.count.toLocaleString('en-US')})`).join(', ');

/**
 * The lines that describe a folded group's subjects, as plain text (each renderer escapes
 * them): `Kinds: Deployment (11,200)`, `Namespaces (500): team-1 (23), … and 490 more`
 * (or `Namespaces: none (cluster-scoped)`), `Resources: team-1/app-7, … and 11,160 more;
 * report.json lists all`.
 */
export function subjectLines(s: SubjectSummary): Array<{ label: string; text: string }> {
  const out: Array<{ label: string; text: string }> = [];
  out.push({ label: 'Kinds', text: `${counted(s.kinds)}${s.kindsMore > 0 ? `, … and ${plural(s.kindsMore, 'more kind')}` : ''}` });
  if (s.namespaceCount > 0) {
    const more = s.namespaceCount - s.namespaces.length;
    const andMore = more > 0 ? `, … and ${more.toLocaleString('en-US')} more` : '';
    const clusterScoped = s.clusterScoped > 0 ? `; cluster-scoped: ${s.clusterScoped.toLocaleString('en-US')}` : '';
    out.push({
      label: `Namespaces (${s.namespaceCount.toLocaleString('en-US')})`,
      text: `${counted(s.namespaces)}${andMore}${clusterScoped}`,
    });
  } else out.push({ label: 'Namespaces', text: s.kinds.some((k) => k.name === 'file') ? 'none' : 'none (cluster-scoped)' });
  out.push({
    label: 'Resources',
    text: `${s.names.join(', ')}${s.namesMore > 0 ? `, … and ${s.namesMore.toLocaleString('en-US')} more; report.json lists all` : ''}`,
  });
  return out;
}

/** `11,200 findings, grouped (3 waived)`. */
export function foldedCount(g: FoldedGroup): string {
  return `${plural(g.findings.length, 'finding')}, grouped${g.waived > 0 ? ` (${g.waived.toLocaleString('en-US')} waived)` : ''}`;
}

/**
 * The `jq` command that lists every finding of the group from the JSON report; null when the
 * check id or rule is not a plain identifier (a plugin's), so no quoting can go wrong.
 */
export function foldedQuery(g: Pick<FoldedGroup, 'checkId' | 'rule' | 'severity'>): string | null {
  if (![g.checkId, g.rule].every((x) => /^[A-Za-z0-9._-]+$/.test(x))) return null;
  return (
    `jq '.findings[] | select(.checkId == ${JSON.stringify(g.checkId)} and .rule == ` +
    `${JSON.stringify(g.rule)} and .severity == ${JSON.stringify(g.severity)})' report.json`
  );
}

/** The rows of a table split into those drawn and those only counted (`cutRows`). */
export interface RowCut<T> {
  /** The rows drawn, in table order. */
  shown: T[];
  /** The other rows, in table order. */
  rest: T[];
  /** How many of `rest` are flagged (show a problem). */
  restFlagged: number;
}

/**
 * Splits a table's rows when there are more than `limit`: every flagged row first (up to
 * `limit`), then the first unflagged rows until `limit` are drawn; both lists keep the table's
 * order. A table of at most `limit` rows is drawn whole. Linear in the number of rows.
 */
export function cutRows<T extends { flagged?: boolean }>(rows: readonly T[], limit = TABLE_ROWS_SHOWN): RowCut<T> {
  if (rows.length <= limit) return { shown: [...rows], rest: [], restFlagged: 0 };
  const keep = new Set<T>();
  for (const r of rows) if (r.flagged && keep.size < limit) keep.add(r);
  for (const r of rows) if (!r.flagged && keep.size < limit) keep.add(r);
  const shown: T[] = [];
  const rest: T[] = [];
  let restFlagged = 0;
  for (const r of rows) {
    if (keep.has(r)) shown.push(r);
    else {
      rest.push(r);
      if (r.flagged) restFlagged++;
    }
  }
  return { shown, rest, restFlagged };
}

/**
 * What a cut table (`cutRows`) says under it, null when nothing was cut: `Drawn: the first 40
 * of 10,001 rows; report.json lists all (.tables, id versions-skew).`, or with flagged rows
 * `Drawn: 40 of 5,000 rows: the 3 flagged and the first 37 others; …`, or, when more than 40
 * are flagged, `Drawn: 40 of 5,000 rows: the first 40 flagged; 60 flagged rows left out; …`.
 */
export function cutRowsNote(id: string, cut: RowCut<{ flagged?: boolean }>): string | null {
  if (cut.rest.length === 0) return null;
  const all = plural(cut.shown.length + cut.rest.length, 'row');
  const shownFlagged = cut.shown.filter((r) => r.flagged).length;
  const n = (x: number): string => x.toLocaleString('en-US');
  const which =
    shownFlagged === 0
      ? `the first ${n(cut.shown.length)} of ${all}`
      : `${n(cut.shown.length)} of ${all}: ` +
        (cut.restFlagged > 0
          ? `the first ${n(shownFlagged)} flagged`
          : `the ${n(shownFlagged)} flagged and the first ${n(cut.shown.length - shownFlagged)} others`);
  const left = cut.restFlagged > 0 ? `; ${plural(cut.restFlagged, 'flagged row')} left out` : '';
  return `Drawn: ${which}${left}; report.json lists all (.tables, id ${id}).`;
}

/** A subject not assessed, with every check it affects (`unknownsBySubject`). */
export interface UnknownEntry {
  label: string;
  reason: string;
  checkIds: string[];
}

/** Subjects not assessed for the same reason by the same checks, shown as one entry. */
export interface UnknownGroup {
  reason: string;
  checkIds: string[];
  /** How many subjects the entry stands for. */
  count: number;
  /** `5,000 subjects (Pod kube-system/kube-proxy-0, …, and 4,960 more; report.json lists all)`. */
  label: string;
}

/**
 * Folds the subjects not assessed: more than `FOLD_THRESHOLD` of them with the same reason and
 * the same checks become one entry (in the place of the first), its subjects a comma list of
 * the first `FOLD_NAMES`, the rest counted (report.json keeps each in its check's `unknowns`).
 * Other entries are kept as they are, with `count` 1. Linear in the number of entries.
 */
export function foldUnknowns(entries: readonly UnknownEntry[], threshold = FOLD_THRESHOLD): UnknownGroup[] {
  const key = (e: UnknownEntry): string => `${e.reason}\u0000${e.checkIds.join(',')}`;
  const groups = new Map<string, UnknownEntry[]>();
  for (const e of entries) {
    const list = groups.get(key(e));
    if (list) list.push(e);
    else groups.set(key(e), [e]);
  }
  const out: UnknownGroup[] = [];
  for (const e of entries) {
    const members = groups.get(key(e))!;
    if (members.length <= threshold) out.push({ reason: e.reason, checkIds: e.checkIds, count: 1, label: e.label });
    else if (members[0] === e) {
      const names = members.slice(0, FOLD_NAMES).map((m) => m.label);
      const more = members.length - names.length;
      out.push({
        reason: e.reason,
        checkIds: e.checkIds,
        count: members.length,
        label:
          `${plural(members.length, 'subject')} (${names.join(', ')}` +
          (more > 0 ? `, … and ${more.toLocaleString('en-US')} more; report.json lists all)` : ')'),
      });
    }
  }
  return out;
}
