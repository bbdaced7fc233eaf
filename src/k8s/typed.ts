/**
 * zod building blocks for the shapes of the Kubernetes API, and one-line messages for what
 * does not match (`.spec.selector: expected an object, got a string`). Messages name types,
 * never values, so nothing read (a Secret, a token) can reach a report through them.
 * Domain logic (this layer) and the inputs (`src/sources/schema.ts`, which adds `readAs`)
 * share them.
 */
import { z } from 'zod';

export { z };

const EXPECTED: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  record: 'an object',
};

/** What a value is, for a message: `a string`, `a list`, `an object`, `null`, `nothing`. */
export function typeName(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  if (typeof v === 'bigint') return 'an integer';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** A path as jq writes it: `.spec.selector`, `.items[2]`, `.metadata.labels["app.kubernetes.io/name"]`. */
export function pathText(path: readonly PropertyKey[]): string {
  const text = path
    .map((p) =>
      typeof p === 'number' ? `[${p}]` : /^[A-Za-z_][\w-]*$/.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(String(p))}]`,
    )
    .join('');
  return text.startsWith('[') ? `.${text}` : text;
}

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let cur = value;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** One line for the first problem of a failed parse: `.path: expected …, got …`. */
export function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const where = pathText(issue.path) || '.';
  const got = typeName(at(value, issue.path));
  if (issue.code === 'invalid_type') return `${where}: expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${got}`;
  if (issue.code === 'invalid_union' || issue.code === 'invalid_value') return `${where}: ${issue.message}, got ${got}`;
  return `${where}: ${issue.message.split('\n')[0]}`;
}

// Building blocks for the shapes of the Kubernetes API.

/** An optional string (absent or `null` read as `undefined`). */
export const optStr = z.string().nullish();
/** An optional number. */
export const optNum = z.number().nullish();
/** An optional boolean. */
export const optBool = z.boolean().nullish();
/** An optional list of strings. */
export const optStrings = z.array(z.string()).nullish();
/** An optional `map[string]string` (labels, nodeSelector). */
export const optStrMap = z.record(z.string(), z.string()).nullish();
/** A Kubernetes quantity: a string (`500m`, `1Gi`) or a number as YAML writes it (`cpu: 1`). */
export const quantity = z.union([z.string(), z.number()], { error: 'expected a quantity (a string or a number)' });
/** A `map[string]Quantity` (requests, allocatable, overhead). */
export const optQuantities = z.record(z.string(), quantity).nullish();
/** An optional object with the given fields. */
export const optObject = <T extends z.core.$ZodLooseShape>(shape: T) => z.object(shape).nullish();
/** An optional list of objects with the given fields. */
export const optList = <T extends z.core.$ZodLooseShape>(shape: T) => z.array(z.object(shape)).nullish();
/** An optional `{type, status, reason?, message?, lastTransitionTime?}` condition list. */
export const optConditions = optList({ type: optStr, status: optStr, reason: optStr, message: optStr, lastTransitionTime: optStr });
/** A `metav1.LabelSelector` as read (its semantics are checked by `fromLabelSelector`). */
export const labelSelector = z.object({
  matchLabels: optStrMap,
  matchExpressions: optList({ key: z.string(), operator: z.string(), values: optStrings }),
});

/**
 * The `metadata` every normalizer reads (validated once per object by the accumulator, so
 * normalizers can trust `KubeObject.metadata`'s declared types).
 */
export const objectMeta = z.looseObject({
  name: optStr,
  namespace: optStr,
  uid: optStr,
  generation: optNum,
  resourceVersion: optStr,
  creationTimestamp: optStr,
  deletionTimestamp: optStr,
  labels: optStrMap,
  annotations: optStrMap,
  ownerReferences: optList({ apiVersion: z.string(), kind: z.string(), name: z.string(), uid: optStr, controller: optBool }),
  managedFields: optList({ manager: optStr, operation: optStr, apiVersion: optStr, time: optStr, subresource: optStr }),
});

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const META_STRINGS = ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp'] as const;
const MANAGED_STRINGS = ['manager', 'operation', 'apiVersion', 'time', 'subresource'] as const;

function stringMap(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!isMap(v)) return false;
  for (const k in v) if (typeof v[k] !== 'string') return false;
  return true;
}

function listOf(v: unknown, item: (x: Record<string, unknown>) => boolean): boolean {
  if (v === undefined || v === null) return true;
  if (!Array.isArray(v)) return false;
  for (const x of v) if (!isMap(x) || !item(x)) return false;
  return true;
}

/**
 * True when `v` passes `objectMeta`, tested without zod (whose parse builds a copy of every
 * label and managedFields entry, only to be discarded): the accumulator's test of every
 * object's metadata. False only where `objectMeta` fails; `objectMeta` then words the error.
 */
export function isObjectMeta(v: unknown): boolean {
  if (!isMap(v)) return false;
  for (const k of META_STRINGS) if (!optString(v[k])) return false;
  const g = v.generation;
  if (g !== undefined && g !== null && (typeof g !== 'number' || !Number.isFinite(g))) return false;
  return (
    stringMap(v.labels) &&
    stringMap(v.annotations) &&
    listOf(
      v.ownerReferences,
      (o) =>
        typeof o.apiVersion === 'string' &&
        typeof o.kind === 'string' &&
        typeof o.name === 'string' &&
        optString(o.uid) &&
        (o.controller === undefined || o.controller === null || typeof o.controller === 'boolean'),
    ) &&
    listOf(v.managedFields, (m) => MANAGED_STRINGS.every((k) => optString(m[k])))
  );
}
