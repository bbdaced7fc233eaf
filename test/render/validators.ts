/**
 * Validators for rendered reports: html-validate (recommended rules) for the HTML, the SARIF
 * 2.1.0 JSON Schema (draft-04, as shipped by @microsoft/jest-sarif: the schema of the OASIS
 * standard, `sarif-2.1.0-rtm.5`; its `language` pattern is not a valid unicode regexp, hence
 * `unicodeRegExp: false`), an XML parse for JUnit, a GFM table-row splitter for markdown (no
 * markdown parser is installed), and a pattern for raw control characters in terminal text.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { HtmlValidate } from 'html-validate';
import { create } from 'xmlbuilder2';

const require = createRequire(import.meta.url);

const htmlValidate = new HtmlValidate({ extends: ['html-validate:recommended'] });

/** Problems html-validate finds, as `line:col rule message`; empty when valid. */
export async function htmlProblems(html: string): Promise<string[]> {
  const r = await htmlValidate.validateString(html);
  return r.results.flatMap((f) => f.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`));
}

const sarifSchema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
const ajv = new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false, unicodeRegExp: false });
(addFormats as unknown as (a: unknown) => void)(ajv);
const validateSarif = ajv.compile(sarifSchema);

/** Problems against the SARIF 2.1.0 schema; empty when valid. */
export function sarifProblems(text: string): string[] {
  if (validateSarif(JSON.parse(text))) return [];
  return (validateSarif.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}

/** Parses XML (throws when it is not well-formed) and returns it as a plain object. */
export function parseXml(text: string): Record<string, unknown> {
  return create(text).end({ format: 'object' }) as Record<string, unknown>;
}

/** Any C0/C1 control, DEL or bidi control. */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * The cells of a GFM table row, split as cmark-gfm splits them: a cell is a run of
 * backslash-escaped characters or characters other than `|` (leading and trailing pipe dropped).
 */
export function gfmCells(row: string): string[] {
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < row.length; i++) {
    const ch = row[i]!;
    if (ch === '\\' && i + 1 < row.length) {
      cur += ch + row[++i];
    } else if (ch === '|') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells.slice(1, -1);
}
