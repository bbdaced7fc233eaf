/**
 * kubectl-style tables for the terminal: upper-case headers, columns separated by spaces, no
 * borders, no trailing blanks. Built on cli-table3. Columns take their content's width; with
 * `maxWidth`, the last column wraps so the table fits.
 */
import Table from 'cli-table3';

const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '   ',
};

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function cellWidth(cell: string): number {
  return Math.max(...cell.replace(ANSI, '').split('\n').map((l) => l.length));
}

export function plainTable(head: string[], rows: string[][], maxWidth?: number): string {
  const widths = head.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ''))));
  let wrap = false;
  if (maxWidth !== undefined) {
    const fixed = widths.slice(0, -1).reduce((a, b) => a + b, 0) + NO_BORDERS.middle.length * (widths.length - 1);
    const last = Math.max(30, maxWidth - fixed);
    if (widths[widths.length - 1]! > last) {
      widths[widths.length - 1] = last;
      wrap = true;
    }
  }
  const t = new Table({
    head,
    chars: NO_BORDERS,
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 },
    colWidths: widths,
    ...(wrap ? { wordWrap: true, wrapOnWordBoundary: true } : {}),
  });
  t.push(...rows);
  return t
    .toString()
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n');
}
