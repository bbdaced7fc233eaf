/**
 * Short lists in prose: the first few names of a long list and how many were left out, as
 * the report's reasons, problem titles, terminal lines and fleet summaries write them.
 */

/**
 * `items` joined with `separator`, cut after the first `n` with "+N more" (N with thousands
 * separators, en-US): `firstOf(['a', 'b', 'c'], 2)` is `"a, b, +1 more"`, and with `'; '`
 * `"a; b; +1 more"`. Empty for no items.
 */
export function firstOf(items: readonly string[], n: number, separator = ', '): string {
  const shown = items.slice(0, n).join(separator);
  return items.length > n ? `${shown}${separator}+${(items.length - n).toLocaleString('en-US')} more` : shown;
}
