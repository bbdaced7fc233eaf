/**
 * Check options: the values a user sets under `checks.<id>.options` in `--config`, checked
 * against the check's `optionSchema` (src/contract/check.ts) or, without one, against the type
 * of the default. Used by the config reader, the engine before a check runs, the registry (a
 * default must satisfy its spec), `explain` and the generated check pages.
 */
import { z } from 'zod';
import type { CheckDefinition, Options, OptionSpec } from '../contract/check.js';

const schemas = new WeakMap<OptionSpec, z.ZodType>();

function zodOf(spec: OptionSpec): z.ZodType {
  let s = schemas.get(spec);
  if (s) return s;
  switch (spec.type) {
    case 'integer':
    case 'number': {
      let n = spec.type === 'integer' ? z.number().int() : z.number();
      if (spec.min !== undefined) n = n.min(spec.min);
      if (spec.max !== undefined) n = n.max(spec.max);
      s = n;
      break;
    }
    case 'string':
      s = spec.enum ? z.enum(spec.enum as [string, ...string[]]) : z.string();
      break;
    case 'boolean':
      s = z.boolean();
      break;
    case 'string[]':
      s = z.array(z.string());
      break;
  }
  schemas.set(spec, s);
  return s;
}

/**
 * What a spec allows, as a phrase: `an integer ≥ 1`, `a number from 0 to 100 (percent)`,
 * `one of auto, upstream`, `a list of strings`.
 */
export function describeOption(spec: OptionSpec): string {
  if (spec.type === 'string' && spec.enum) return `one of ${spec.enum.join(', ')}`;
  const what = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', 'string[]': 'a list of strings' }[
    spec.type
  ];
  const { min, max } = spec;
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? ` ≥ ${min}`
        : max !== undefined
          ? ` ≤ ${max}`
          : '';
  return `${what}${range}${spec.unit ? ` (${spec.unit})` : ''}`;
}

/** The spec a check without `optionSchema` gets for an option: the default's type, numbers ≥ 0. */
function inferredSpec(d: Options[string]): OptionSpec {
  if (Array.isArray(d)) return { type: 'string[]', description: '' };
  if (typeof d === 'number') return { type: 'number', min: 0, description: '' };
  return { type: typeof d === 'boolean' ? 'boolean' : 'string', description: '' };
}

/** The spec of option `key` of a check (declared, or inferred from the default), or undefined for an unknown option. */
export function optionSpec(def: Pick<CheckDefinition, 'defaultOptions' | 'optionSchema'>, key: string): OptionSpec | undefined {
  if (!Object.prototype.hasOwnProperty.call(def.defaultOptions, key)) return undefined;
  return def.optionSchema?.[key] ?? inferredSpec(def.defaultOptions[key]!);
}

/** A value for a message: JSON, cut at 60 characters. */
function shown(value: unknown): string {
  // JSON.stringify gives undefined for undefined and functions (a config built in code).
  const json = JSON.stringify(value) as string | undefined;
  const s = json ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Why `value` is not acceptable for option `key` of the check, or undefined: `unknown option
 * (known: …)` or `got "soon", expected a number ≥ 0 (days)`.
 */
export function optionProblem(
  def: Pick<CheckDefinition, 'defaultOptions' | 'optionSchema'>,
  key: string,
  value: unknown,
): string | undefined {
  const spec = optionSpec(def, key);
  if (!spec) {
    const known = Object.keys(def.defaultOptions);
    return `unknown option (${known.length ? `known: ${known.join(', ')}` : 'this check has no options'})`;
  }
  return zodOf(spec).safeParse(value).success ? undefined : `got ${shown(value)}, expected ${describeOption(spec)}`;
}

const TYPES: readonly string[] = ['integer', 'number', 'string', 'boolean', 'string[]'];

/** Why a spec (from a plugin written in JavaScript, too) is malformed, or undefined. */
function specProblem(spec: unknown): string | undefined {
  if (typeof spec !== 'object' || spec === null) return 'is not an object';
  const s = spec as Record<string, unknown>;
  if (typeof s.type !== 'string' || !TYPES.includes(s.type)) return `has an unknown type "${String(s.type)}" (known: ${TYPES.join(', ')})`;
  if (typeof s.description !== 'string' || s.description.trim() === '') return 'has no description';
  for (const b of ['min', 'max'] as const) {
    if (s[b] === undefined) continue;
    if (s.type !== 'integer' && s.type !== 'number') return `has ${b} but is not a number option`;
    if (typeof s[b] !== 'number' || !Number.isFinite(s[b])) return `has a ${b} that is not a finite number`;
  }
  if (typeof s.min === 'number' && typeof s.max === 'number' && s.min > s.max) return 'has min above max';
  if (s.enum !== undefined) {
    if (s.type !== 'string') return 'has enum but is not a string option';
    if (!Array.isArray(s.enum) || s.enum.length === 0 || !s.enum.every((e) => typeof e === 'string'))
      return 'has an enum that is not a list of strings';
  }
  return undefined;
}

/**
 * Problems with a check's `optionSchema`, as sentences (empty when there is none or it is
 * valid): an option without a spec or a spec without an option, a malformed spec, and a
 * default the spec refuses.
 */
export function optionSchemaProblems(def: Pick<CheckDefinition, 'defaultOptions' | 'optionSchema'>): string[] {
  const schema: unknown = def.optionSchema;
  if (schema === undefined) return [];
  if (typeof schema !== 'object' || schema === null) return ['optionSchema is not an object'];
  const p: string[] = [];
  for (const k of Object.keys(def.defaultOptions)) if (!(k in schema)) p.push(`option "${k}" has no entry in optionSchema`);
  for (const [k, spec] of Object.entries(schema)) {
    const bad = specProblem(spec);
    if (!Object.prototype.hasOwnProperty.call(def.defaultOptions, k)) p.push(`optionSchema: "${k}" is not in defaultOptions`);
    else if (bad) p.push(`optionSchema: "${k}" ${bad}`);
    else {
      const refused = optionProblem(def, k, def.defaultOptions[k]);
      if (refused) p.push(`optionSchema: the default of "${k}" does not fit: ${refused}`);
    }
  }
  return p;
}
