/**
 * Validation of trends against the shipped JSON Schema (`schema/trend.schema.json`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SCHEMA_DIR } from '../paths.js';

export const TREND_SCHEMA_PATH = join(SCHEMA_DIR, 'trend.schema.json');

let validator: ValidateFunction | undefined;

/** Problems of a trend against the schema, as `path: message` lines; empty when valid. */
export function trendSchemaErrors(trend: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(TREND_SCHEMA_PATH, 'utf8')) as object);
  }
  if (validator(trend)) return [];
  return (validator.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
