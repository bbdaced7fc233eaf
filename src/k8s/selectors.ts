/**
 * Label and field selectors, evaluated as the Kubernetes API server evaluates them.
 *
 * Sources: "Labels and Selectors" (kubernetes.io/docs/concepts/overview/working-with-objects/labels/),
 * `k8s.io/apimachinery/pkg/labels/selector.go` and `pkg/apis/meta/v1/helpers.go`
 * (`LabelSelectorAsSelector`): an empty `LabelSelector` (`{}`) matches everything, a null one
 * matches nothing; `NotIn` and `DoesNotExist` match objects without the label.
 */
import { dig, isRecord } from './objects.js';
import type { Operator, Requirement, Selector, LabelSelector } from '../contract/values/selectors.js';
import { ToolError, type ErrorCode } from '../contract/errors.js';

export class SelectorError extends ToolError {
  override name = 'SelectorError';
  readonly errorCode: ErrorCode = 'KP_SELECTOR';
}

/**
 * Converts a `metav1.LabelSelector`. Returns `null` for a null/undefined selector (matches
 * nothing). Throws `SelectorError` for an invalid one (unknown operator, `In` without values),
 * which the API server also rejects or treats as matching nothing.
 */
export function fromLabelSelector(sel: LabelSelector | null | undefined): Selector | null {
  if (sel === null || sel === undefined) return null;
  if (!isRecord(sel)) throw new SelectorError('selector is not an object');
  if (sel.matchExpressions !== undefined && !Array.isArray(sel.matchExpressions)) throw new SelectorError('matchExpressions is not a list');
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries((sel as LabelSelector).matchLabels ?? {})) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- YAML manifests may give numbers or booleans
    reqs.push({ key, operator: 'In', values: [String(value)] });
  }
  for (const e of (sel as LabelSelector).matchExpressions ?? []) {
    const op = e.operator as Operator;
    const values = (e.values ?? []).map(String);
    switch (op) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw new SelectorError(`operator ${op} on "${e.key}" needs values`);
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw new SelectorError(`operator ${op} on "${e.key}" takes no values`);
        break;
      default:
        throw new SelectorError(`unknown operator "${e.operator}" on "${e.key}"`);
    }
    reqs.push({ key: e.key, operator: op, values });
  }
  return reqs;
}

/** True when `labels` satisfy every requirement; a `null` selector matches nothing. */
export function matches(selector: Selector | null, labels: Record<string, string> | undefined): boolean {
  if (selector === null) return false;
  const l = labels ?? {};
  for (const r of selector) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.operator) {
      case 'In':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(v!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/**
 * The string form of a parsed selector, as kubectl prints it (`app=web,tier in (a,b),!debug`):
 * `''` for an empty selector (matches everything), `<none>` for a null one (matches nothing).
 * `parseLabelSelector` reads it back to the same requirements.
 */
export function selectorString(selector: Selector | null): string {
  if (selector === null) return '<none>';
  return selector
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(',');
}

/**
 * Parses the string form used by `--selector` / `labelSelector=`:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, comma-separated.
 * Throws `SelectorError` on a syntax error.
 */
export function parseLabelSelector(text: string): Selector {
  const reqs: Requirement[] = [];
  for (const part of splitTopLevel(text)) {
    const p = part.trim();
    if (!p) continue;
    let m: RegExpMatchArray | null;
    if ((m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const values = m[3]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (values.length === 0) throw new SelectorError(`"${p}": empty value list`);
      reqs.push({ key: m[1]!, operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(p))) {
      reqs.push({ key: m[1]!, operator: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3]!] });
    } else if ((m = /^!\s*([^\s!=(),]+)$/.exec(p))) {
      reqs.push({ key: m[1]!, operator: 'DoesNotExist', values: [] });
    } else if ((m = /^([^\s!=(),]+)$/.exec(p))) {
      reqs.push({ key: m[1]!, operator: 'Exists', values: [] });
    } else {
      throw new SelectorError(`cannot parse selector requirement "${p}"`);
    }
  }
  return reqs;
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * A field selector (`type=kubernetes.io/tls,metadata.namespace!=kube-system`) applied to a
 * raw object, for dumps (the API server applies it for live lists). Only `=`, `==` and `!=`
 * on dotted paths, which is all the API supports.
 */
export function matchesFieldSelector(text: string, obj: unknown): boolean {
  for (const part of text.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(p);
    if (!m) throw new SelectorError(`cannot parse field selector "${p}"`);
    const v = dig(obj, ...m[1]!.split('.'));
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- selectors name scalar fields; an object matches no value
    const actual = v === undefined || v === null ? '' : String(v);
    const eq = actual === m[3];
    if (m[2] === '!=' ? eq : !eq) return false;
  }
  return true;
}
