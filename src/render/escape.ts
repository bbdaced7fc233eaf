/**
 * Escapers for untrusted text (names, labels, owners, messages from the cluster, a dump, a
 * waivers file or a report given back to `render`/`diff`):
 * - `terminalSafe` for whatever reaches a terminal or `report.txt`: control characters and
 *   bidi overrides are shown escaped, so data cannot move the cursor, set a title, hide text,
 *   inject a hyperlink or reorder what is shown;
 * - `markdownText` for text in a markdown paragraph, list item or table cell: it renders as
 *   exactly that text, with no link, image, HTML, emphasis or extra table cell.
 */

/** Short escapes for the control characters people know by name. */
const NAMED: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * C0 controls (U+0000–U+001F), DEL (U+007F), C1 controls (U+0080–U+009F), and the bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** `UNSAFE` without `g`: whether a string holds any (a test keeps no state between strings). */
const HAS_UNSAFE = new RegExp(UNSAFE.source);

/**
 * `s` with every control character (newlines and tabs included) and bidi control shown as an
 * escape: `\n`, `\r`, `\t`, `\b`, else `\xHH` (C0, DEL, C1) or `\uHHHH` (bidi). The result is
 * one line of printable text. Backslashes are left as they are (Windows paths stay readable),
 * so a literal `\x1b` in the data looks like an escaped ESC — it is just as inert. Apply it to
 * data before adding colours: the renderer's own escape codes must survive.
 */
export function terminalSafe(s: string): string {
  // Most text has nothing to escape: a test is cheaper than a replace that finds nothing.
  if (!HAS_UNSAFE.test(s)) return s;
  return s.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Each line of `text` through `terminalSafe`, its line breaks kept: for messages and stack traces of several lines. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}

/**
 * `value` (a report, a diff, a permission plan) with `terminalSafe` applied to every string in
 * it, object keys included; numbers, booleans and null unchanged. A renderer that starts from
 * this cannot forget a field. Arrays and objects holding nothing to escape are returned as they
 * are, not copied (a report of thousands of findings is not duplicated); neither is modified.
 */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) {
    const list: unknown[] = value;
    let out: unknown[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      const safe = terminalSafeDeep(v);
      if (out) out.push(safe);
      else if (safe !== v) out = [...list.slice(0, i), safe];
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const safeKey = terminalSafe(k);
      const safe = terminalSafeDeep(object[k]);
      if (safeKey === k && safe === object[k]) continue;
      // Something to escape: a copy, built by `fromEntries` so a key such as `__proto__` stays a key.
      const entries: Array<[string, unknown]> = keys.slice(0, i).map((key) => [key, object[key]]);
      entries.push([safeKey, safe]);
      for (const key of keys.slice(i + 1)) entries.push([terminalSafe(key), terminalSafeDeep(object[key])]);
      return Object.fromEntries(entries) as T;
    }
  }
  return value;
}

/**
 * ASCII punctuation that starts markdown syntax: escapes, code, emphasis, links, images, HTML,
 * table cells, headings, strikethrough, entities.
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]()!<>|#~&]/g;

/**
 * `s` as literal text for GitHub-flavoured markdown, in a paragraph, a list item or a table
 * cell:
 * - line breaks (`\r\n`, `\r`, `\n`, U+2028, U+2029) become spaces, so a cell stays in its row;
 * - other control characters and bidi controls are escaped as in `terminalSafe`;
 * - `\` `` ` `` `*` `_` `[` `]` `(` `)` `!` `<` `>` `|` `#` `~` `&` get a backslash: no link,
 *   image, code span, emphasis, HTML or entity; `\|` in the data becomes `\\\|`, so it cannot
 *   end a table cell;
 * - `@` becomes `&#64;` (no accidental mention of a user or team);
 * - `://` and `www.` are broken with a backslash (`http\://`, `www\.`), so GitHub does not
 *   turn a URL in the data into a link.
 */
export function markdownText(s: string): string {
  return terminalSafe(s.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '))
    .replace(MARKDOWN_SPECIAL, '\\$&')
    .replace(/@/g, '&#64;')
    .replace(/:\/\//g, '\\://')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`);
}

/**
 * `s` in a code span (`` `s` ``) when it is plain enough to stay exact there — letters,
 * digits and `. _ : / + = , -` (nothing is a link or HTML in a code span) — else as
 * `markdownText`. (Inside a code span in a table, a backslash before `|` cannot be written
 * exactly, and backticks need longer fences.)
 */
export function markdownCode(s: string): string {
  return /^[\w.:/+=,-]+$/.test(s) ? `\`${s}\`` : markdownText(s);
}
