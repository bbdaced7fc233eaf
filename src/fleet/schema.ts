/**
 * Validation of the fleet documents against their shipped JSON Schemas, with the report
 * schema's Ajv setup (draft 2020-12, formats, strict): `schema/fleet-v1.schema.json`
 * (`FleetSummary`) and `schema/fleet-not-scanned-v1.schema.json` (`NotScanned`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SCHEMA_DIR } from '../paths.js';

export const FLEET_SCHEMA_PATH = join(SCHEMA_DIR, 'fleet-v1.schema.json');
export const NOT_SCANNED_SCHEMA_PATH = join(SCHEMA_DIR, 'fleet-not-scanned-v1.schema.json');

/** `DIR/<cluster>/not-scanned.json`: a cluster a fleet scan could not scan. */
export interface NotScannedRecord {
  apiVersion: 'kube-preflight/v1';
  kind: 'NotScanned';
  source: string;
  reason: string;
}

const validators = new Map<string, ValidateFunction>();

function errorsOf(path: string, doc: unknown): string[] {
  let v = validators.get(path);
  if (!v) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    v = ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
    validators.set(path, v);
  }
  if (v(doc)) return [];
  return (v.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}

/** Problems of a fleet summary against its schema, as `path: message` lines; empty when valid. */
export function fleetSchemaErrors(summary: unknown): string[] {
  return errorsOf(FLEET_SCHEMA_PATH, summary);
}

/** Problems of a `not-scanned.json` document against its schema; empty when valid. */
export function notScannedSchemaErrors(doc: unknown): string[] {
  return errorsOf(NOT_SCANNED_SCHEMA_PATH, doc);
}
