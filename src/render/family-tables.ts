/**
 * The per-family tables of the report (`report.tables`) as the HTML family sections draw them
 * (`templates/partials/familytables.hbs`): each cell as lines of text (a list one item a line)
 * with classes (`ok` for a yes, `bad` for a no or the first cell of a row that shows a
 * problem, `nowrap` for a short value without spaces), each row flagged or not. Escaping is the template's.
 */
import type { Family } from '../contract/check.js';
import type { ReportTable, TableCell } from '../contract/report.js';
import { cellText } from '../report/tables.js';

export interface FamilyTableCell {
  lines: string[];
  /** `ok`, `bad`, `num` (right-aligned), `nowrap` (a short value without spaces), or empty; space-separated. */
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

/** A value up to this long without a space (a timestamp, a version, a name) is kept on one line. */
const NOWRAP_CHARS = 24;

function cellClass(v: TableCell, align: 'left' | 'right' | undefined, first: boolean, flagged: boolean): string {
  const text = cellText(v);
  const cls = [
    align === 'right' ? 'num' : '',
    v === true ? 'ok' : v === false || (first && flagged) ? 'bad' : '',
    text.length <= NOWRAP_CHARS && !/\s/.test(text) ? 'nowrap' : '',
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
          return { lines: cellText(v).split('\n'), cls: cellClass(v, c.align, i === 0, r.flagged === true) };
        }),
      })),
      flagged: t.rows.filter((r) => r.flagged).length,
    }));
}
