/**
 * Validation of reports against the shipped JSON Schema (`schema/report-v1.schema.json`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SCHEMA_DIR } from '../paths.js';

export const REPORT_SCHEMA_PATH = join(SCHEMA_DIR, 'report-v1.schema.json');

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as object);
  }
  return validator;
}

/** Problems of a report against the schema, as `path: message` lines; empty when valid. */
export function reportSchemaErrors(report: unknown): string[] {
  const v = compile();
  if (v(report)) return [];
  return (v.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
