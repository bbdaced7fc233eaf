/**
 * Validation of reports against the shipped JSON Schema (`schema/report-v1.schema.json`), with
 * the Ajv instance the engine checks figures with (`reportSchema` in `src/engine/figures.ts`).
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { reportSchema } from '../engine/figures.js';

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  if (!validator) {
    const { ajv, schema } = reportSchema();
    validator = ajv.getSchema(schema.$id)!;
  }
  return validator;
}

/** Problems of a report against the schema, as `path: message` lines; empty when valid. */
export function reportSchemaErrors(report: unknown): string[] {
  const v = compile();
  if (v(report)) return [];
  return (v.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
