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

/** The longest word a wrapped column keeps whole by being wider than `MIN_WRAPPED_WIDTH`. */
export const MAX_WHOLE_WORD = 30;

/** Where a long name or path may break: after `/`, `-`, `.`, `:` or `]`. */
const BREAK_POINT = /(?<=[/\-.:\]])/;

/** The pieces of a word, each ending at a break point (the last at the word's end). */
function pieces(word: string): string[] {
  return word.split(BREAK_POINT);
}

/**
 * `text` with each word longer than `width` broken into lines at its break points, each line
 * as long as fits (`team-1000/oncall-debug` at 12: `team-1000/` and `oncall-debug`); a piece
 * still too long is split at `width`. Words with colours are left to the wrapper.
 */
function breakLongWords(text: string, width: number): string {
  return text.replace(/[^\s]+/g, (word) => {
    if (word.length <= width || word.includes('\u001b')) return word;
    const lines: string[] = [];
    let line = '';
    for (let piece of pieces(word)) {
      if (line.length + piece.length <= width) {
        line += piece;
        continue;
      }
      if (line) lines.push(line);
      while (piece.length > width) {
        lines.push(piece.slice(0, width));
        piece = piece.slice(width);
      }
      line = piece;
    }
    if (line) lines.push(line);
    return lines.join('\n');
  });
}

/** A colour (SGR) escape sequence, as picocolors writes them. */
// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/g;

function cellWidth(cell: string): number {
  return Math.max(
    ...cell
      .replace(ANSI, '')
      .split('\n')
      .map((l) => l.length),
  );
}

/** Each column's width in characters: its widest line, colours not counted. */
export function columnWidths(head: string[], rows: string[][]): number[] {
  return head.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ''))));
}

/**
 * The narrowest column `i`, `width` wide (`columnWidths`), wraps to: `MIN_WRAPPED_WIDTH`, or
 * wider to keep its longest word whole (up to `MAX_WHOLE_WORD`; a longer word breaks at its
 * break points), never wider than `width`.
 */
export function wrappedMinWidth(head: string[], rows: string[][], i: number, width: number): number {
  let word = 0;
  for (const cell of [head[i] ?? '', ...rows.map((r) => r[i] ?? '')]) {
    for (const w of cell.replace(ANSI, '').split(/\s+/)) if (w.length > word) word = w.length;
  }
  return Math.min(width, Math.max(MIN_WRAPPED_WIDTH, Math.min(word, MAX_WHOLE_WORD)));
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
 * the other columns leave: each gets its `wrappedMinWidth` (or, when those do not fit,
 * `MIN_WRAPPED_WIDTH`), and the rest of the room in proportion to how much more its content
 * wants (so a table can still be wider than `maxWidth`); their cells wrap on word boundaries,
 * and a word longer than its column breaks after `/`, `-`, `.`, `:` or `]` where it can, else
 * is split; nothing is cut.
 */
export function plainTable(head: string[], rows: string[][], maxWidth?: number, wrap: number[] = [head.length - 1]): string {
  const widths = columnWidths(head, rows);
  let wraps = false;
  if (maxWidth !== undefined) {
    const fixed = widths.reduce((a, b, i) => (wrap.includes(i) ? a : a + b), 0) + NO_BORDERS.middle.length * (widths.length - 1);
    const wanted = wrap.reduce((a, i) => a + widths[i]!, 0);
    const room = maxWidth - fixed;
    if (wanted > room) {
      wraps = true;
      // Whole words when they fit, else as narrow as `MIN_WRAPPED_WIDTH`.
      let least = wrap.map((i) => wrappedMinWidth(head, rows, i, widths[i]!));
      if (least.reduce((a, b) => a + b, 0) > room) least = wrap.map((i) => Math.min(widths[i]!, MIN_WRAPPED_WIDTH));
      const spare = Math.max(0, room - least.reduce((a, b) => a + b, 0));
      const more = wrap.reduce((a, i, k) => a + widths[i]! - least[k]!, 0);
      wrap.forEach((i, k) => {
        widths[i] = least[k]! + (more === 0 ? 0 : Math.floor((spare * (widths[i]! - least[k]!)) / more));
      });
    }
  }
  // Wrapped here, not by cli-table3, which cuts a word longer than its column with `…`:
  // fast-wrap-ansi breaks on word boundaries and splits only the words that cannot fit. Each line
  // of a cell goes to cli-table3 as a row of its own: it handles a multi-line cell in time
  // quadratic in its length (its debug label truncates the whole content a character at a time).
  const fit = (r: string[]): string[] =>
    wraps ? r.map((cell, i) => (wrap.includes(i) ? wrapAnsi(breakLongWords(cell, widths[i]!), widths[i]!, { hard: true }) : cell)) : r;
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
