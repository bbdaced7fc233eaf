/**
 * Validation of reports against the shipped JSON Schema (`schema/report-v1.schema.json`), with
 * the validator scripts/report-validators.js generates from it at build time (Ajv standalone
 * code, all errors, with ajv-formats; the one src/engine/figures.ts checks figures with).
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { report } from '../engine/report-validators.generated.js';

const validate = report as ValidateFunction;

/** Problems of a report against the schema, as `path: message` lines; empty when valid. */
export function reportSchemaErrors(report: unknown): string[] {
  if (validate(report)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
