/**
 * Validation of a check's metadata, run by the registry when it loads a check (built-in or
 * plugin). Checks are written with `defineCheck` (src/contract/check.ts).
 */
import { FAMILIES, SEVERITIES, type CheckDefinition } from '../contract/check.js';
import { optionSchemaProblems } from './options.js';

const ID = /^[a-z0-9]+(-[a-z0-9]+)+$/;

/**
 * Problems with a check's metadata, as sentences; empty when it is valid.
 * `knownInputs` are the input keys of the catalog.
 */
/* eslint-disable @typescript-eslint/no-unnecessary-condition, @typescript-eslint/no-unnecessary-type-conversion,
   @typescript-eslint/no-unsafe-argument -- plugins written in JavaScript reach here: every field is checked
   for the shape its type only promises */
export function validateCheck(def: CheckDefinition, knownInputs: ReadonlySet<string>): string[] {
  const p: string[] = [];
  if (typeof def.id !== 'string' || !ID.test(def.id)) p.push(`id "${String(def.id)}" is not kebab-case with a family prefix`);
  if (!(FAMILIES as readonly string[]).includes(def.family)) p.push(`family "${String(def.family)}" is not one of ${FAMILIES.join(', ')}`);
  else if (typeof def.id === 'string' && !def.id.startsWith(`${def.family}-`))
    p.push(`id "${def.id}" does not start with its family "${def.family}-"`);
  for (const f of ['title', 'rationale', 'remediation'] as const) {
    if (typeof def[f] !== 'string' || def[f].trim() === '') p.push(`${f} is empty`);
  }
  if (!Array.isArray(def.references) || def.references.length === 0) p.push('references is empty');
  if (!(SEVERITIES as readonly string[]).includes(def.defaultSeverity))
    p.push(`defaultSeverity "${String(def.defaultSeverity)}" is not a severity`);
  const rules = Object.entries(def.rules ?? {});
  if (rules.length === 0) p.push('rules is empty');
  for (const [k, r] of rules) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(k)) p.push(`rule "${k}" is not kebab-case`);
    if (!r.title) p.push(`rule "${k}" has no title`);
    if (r.severity !== undefined && !(SEVERITIES as readonly string[]).includes(r.severity)) p.push(`rule "${k}" has an unknown severity`);
  }
  for (const k of [...(def.requires ?? []), ...(def.optional ?? [])]) {
    if (!knownInputs.has(k)) p.push(`input "${k}" is not in the input catalog`);
  }
  if (!Array.isArray(def.requires)) p.push('requires is not a list');
  for (const field of ['requiresAnyOf', 'requiresSomeOf'] as const) {
    for (const group of def[field] ?? []) {
      if (!Array.isArray(group) || group.length < 2) p.push(`${field}: a group needs two or more inputs`);
      else for (const k of group) if (!(def.optional ?? []).includes(k)) p.push(`${field}: input "${k}" is not listed in optional`);
    }
  }
  if (typeof def.defaultOptions !== 'object' || def.defaultOptions === null) p.push('defaultOptions is not an object');
  else p.push(...optionSchemaProblems(def));
  if (typeof def.run !== 'function') p.push('run is not a function');
  return p;
}
/* eslint-enable @typescript-eslint/no-unnecessary-condition, @typescript-eslint/no-unnecessary-type-conversion,
   @typescript-eslint/no-unsafe-argument */
