/**
 * kubectl-style tables for the terminal: upper-case headers, columns separated by spaces, no
 * borders, no trailing blanks. Built on cli-table3. Columns take their content's width; with
 * `maxWidth` (columns), the columns that may wrap (`wrap`, default the last) are narrowed and
 * wrap on word boundaries so the table fits.
 */
import Table from 'cli-table3';
import { wrapAnsi } from 'fast-wrap-ansi';

const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '   ',
};

/** The narrowest a wrapped column gets, in characters, whatever `maxWidth`. */
export const MIN_WRAPPED_WIDTH = 20;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function cellWidth(cell: string): number {
  return Math.max(
    ...cell
      .replace(ANSI, '')
      .split('\n')
      .map((l) => l.length),
  );
}

/**
 * The terminal's width in columns: stdout's when it is a terminal, else `$COLUMNS` (a
 * positive integer), else `fallback`.
 */
export function terminalWidth(fallback: number): number {
  if (process.stdout.columns) return process.stdout.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : fallback;
}

/**
 * A table as text. With `maxWidth`, the columns `wrap` (indexes; default the last) share what
 * the other columns leave, in proportion to their content's width but no narrower than
 * `MIN_WRAPPED_WIDTH` each (so a table can still be wider than `maxWidth`), and their cells wrap
 * on word boundaries; a word longer than its column is split, never cut.
 */
export function plainTable(head: string[], rows: string[][], maxWidth?: number, wrap: number[] = [head.length - 1]): string {
  const widths = head.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ''))));
  let wraps = false;
  if (maxWidth !== undefined) {
    const fixed = widths.reduce((a, b, i) => (wrap.includes(i) ? a : a + b), 0) + NO_BORDERS.middle.length * (widths.length - 1);
    const wanted = wrap.reduce((a, i) => a + widths[i]!, 0);
    const room = maxWidth - fixed;
    if (wanted > room) {
      wraps = true;
      for (const i of wrap) widths[i] = Math.min(widths[i]!, Math.max(MIN_WRAPPED_WIDTH, Math.floor((room * widths[i]!) / wanted)));
    }
  }
  // Wrapped here, not by cli-table3, which cuts a word longer than its column with `…`:
  // fast-wrap-ansi breaks on word boundaries and splits only the words that cannot fit. Each line
  // of a cell goes to cli-table3 as a row of its own: it handles a multi-line cell in time
  // quadratic in its length (its debug label truncates the whole content a character at a time).
  const fit = (r: string[]): string[] =>
    wraps ? r.map((cell, i) => (wrap.includes(i) ? wrapAnsi(cell, widths[i]!, { hard: true }) : cell)) : r;
  const lines = (r: string[]): string[][] => {
    const cells = fit(r).map((cell) => cell.split('\n'));
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, k) => cells.map((c) => c[k] ?? ''));
  };
  const [first = [], ...headRest] = lines(head);
  const t = new Table({
    head: first,
    chars: NO_BORDERS,
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 },
    colWidths: widths,
  });
  t.push(...headRest, ...rows.flatMap(lines));
  return t
    .toString()
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n');
}
