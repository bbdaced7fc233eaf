/**
 * Typed reading of raw inputs (README, "Statuses, unknowns and the verdict": a field of the wrong type is an
 * unknown subject, never an absent value). Each normalizer describes the fields it reads with
 * a zod schema; `readAs` validates and returns the typed value, or throws an `InputError`
 * naming the path and the problem (`.spec.selector: expected an object, got a string`).
 *
 * Fields the Kubernetes API allows to be absent are `.nullish()` (absent and `null` both read
 * as absent); a field that is present with the wrong type is an error. Messages name types,
 * never values, so nothing read (a Secret, a token) can reach a report through them.
 */
import { z } from 'zod';
import { describeIssue } from '../k8s/typed.js';
import { InputError } from './input-def.js';

export * from '../k8s/typed.js';

/**
 * Validates `value` against `schema` and returns the parsed value (unknown keys stripped).
 * Throws `InputError` with `prefix` (a file, say), then the path and the problem of the first
 * issue: `etcd/alarm-list.json .alarms: expected a list, got a string`.
 */
export function readAs<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const msg = describeIssue(r.error.issues[0]!, value);
  throw new InputError(prefix ? `${prefix} ${msg}` : msg);
}

/**
 * As `readAs`, returning no copy: `value` itself when it passes `schema` (its fields the
 * schema does not name are kept; read-only by contract), else `readAs`'s `InputError`. For the
 * objects read by the thousand (pods, nodes), with a schema built by `z.compile` (its
 * `validate` runs generated code, whose scratch copies of optional fields die young) and free
 * of transforms and defaults (where a parse's output would differ from its input).
 */
export function readInPlace<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  return schema.validate(value) ? (value as z.output<S>) : readAs(schema, value, prefix);
}
