/**
 * Validators for rendered reports: html-validate (recommended rules) for the HTML, the SARIF
 * 2.1.0 JSON Schema (draft-04, as shipped by @microsoft/jest-sarif: the schema of the OASIS
 * standard, `sarif-2.1.0-rtm.5`; its `language` pattern is not a valid unicode regexp, hence
 * `unicodeRegExp: false`), and an XML parse for JUnit.
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
