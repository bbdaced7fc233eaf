/**
 * Validation of reports against the shipped JSON Schema (`schema/report-v1.schema.json`), with
 * the validators scripts/report-validators.js generates from it at build time (Ajv standalone
 * code with ajv-formats): a fast one that only tells whether a report is valid, then, for an
 * invalid one, the one that gives all its errors (the one src/engine/figures.ts checks figures with).
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { report, reportValid } from '../engine/report-validators.generated.js';

const validate = report as ValidateFunction;
const isValid = reportValid as (data: unknown) => boolean;

/** Problems of a report against the schema, as `path: message` lines; empty when valid. */
export function reportSchemaErrors(report: unknown): string[] {
  if (isValid(report) || validate(report)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
