/**
 * The per-family tables of the report (`report.tables`) as the HTML family sections draw them
 * (`templates/partials/familytables.hbs`): each cell as lines of text (a list one item a line),
 * each line as the pieces between which a long identifier may break, with classes (`ok` for a
 * yes, `bad` for a no or the first cell of a row that shows a problem, `num` right-aligned,
 * `nowrap` for a short value, `long` for a very long word), each row flagged or not. Escaping is
 * the template's.
 *
 * How wide each column is comes from the browser, not from character counts here: a header
 * wraps between its words only, a value between words and at its break points, and a short
 * value stays on one line. When a table is still wider than its page or window, the page's
 * script (`templates/report.js`) lets the widest column's widest cells wrap, then break
 * anywhere, until it fits (`renderPdf` runs it at the paper's printable width).
 */
import type { Family } from '../contract/check.js';
import type { ReportTable, TableCell } from '../contract/report.js';
import { cellText } from '../report/tables.js';

export interface FamilyTableCell {
  /** The cell's lines; each line as pieces, a break allowed between them (`<wbr>`). */
  lines: string[][];
  /**
   * `ok`, `bad`, `num` (right-aligned), `nowrap` (a short value, one line), `long` (a word of more
   * than 24 characters without a break point), or empty; space-separated.
   */
  cls: string;
}

export interface FamilyTableView {
  id: string;
  title: string;
  note: string | null;
  columns: Array<{ label: string; cls: string }>;
  rows: Array<{ flagged: boolean; cells: FamilyTableCell[] }>;
  /** Rows that show a problem. */
  flagged: number;
}

/** A value whose every line is up to this long (a date, a version, a name, "no (kubeadm)") is kept on one line. */
const NOWRAP_CHARS = 24;

/** A word longer than this (a path, a group/version, a qualified name) may break after a separator. */
const LONG_WORD = 16;

/**
 * A piece longer than this with no break in it (`ClusterWideNetworkAdmissionConfigurationPolicy`)
 * is the last word a table too wide gives room to: `long`.
 */
const UNBREAKABLE = 24;

/** After these, a long word may break: `storage.k8s.io/` `v1beta1`, `system:` `node:`, `apiserver_` `requested`. */
const SEPARATOR = /(?<=[/.:_@\]])(?=[^\s/.:_@\]])/;

/** `line` as pieces: its long words split after their separators. */
export function breakPoints(line: string): string[] {
  const pieces: string[] = [];
  let open = '';
  for (const part of line.split(/(\s+)/)) {
    const split = part.length > LONG_WORD ? part.split(SEPARATOR) : [part];
    for (const piece of split.slice(0, -1)) {
      pieces.push(open + piece);
      open = '';
    }
    open += split[split.length - 1]!;
  }
  pieces.push(open);
  return pieces;
}

/** The classes of a cell of value `v` whose lines are `lines`, each as its `breakPoints`. */
function cellClass(lines: string[][], v: TableCell, align: 'left' | 'right' | undefined, first: boolean, flagged: boolean): string {
  const cls = [
    align === 'right' ? 'num' : '',
    v === true ? 'ok' : v === false || (first && flagged) ? 'bad' : '',
    lines.every((l) => l.join('').length <= NOWRAP_CHARS) ? 'nowrap' : '',
    lines.some((l) => l.some((p) => p.split(/[\s-]/).some((w) => w.length > UNBREAKABLE))) ? 'long' : '',
  ];
  return cls.filter(Boolean).join(' ');
}

/** The tables of `family`, in report order. */
export function familyTablesView(tables: ReportTable[] | undefined, family: Family): FamilyTableView[] {
  return (tables ?? [])
    .filter((t) => t.family === family)
    .map((t) => ({
      id: t.id,
      title: t.title,
      note: t.note ?? null,
      columns: t.columns.map((c) => ({ label: c.label, cls: c.align === 'right' ? 'num' : '' })),
      rows: t.rows.map((r) => ({
        flagged: r.flagged === true,
        cells: t.columns.map((c, i) => {
          const v = r.cells[c.key] ?? null;
          const lines = cellText(v).split('\n').map(breakPoints);
          return { lines, cls: cellClass(lines, v, c.align, i === 0, r.flagged === true) };
        }),
      })),
      flagged: t.rows.filter((r) => r.flagged).length,
    }));
}
