/**
 * Secret values never reach a check, a report or a dump (DESIGN.md, "The offline dump").
 *
 * `redact` is applied to every object a source reads, before any input normalizes it, and by
 * `collect` before it writes. It is idempotent, and `normalize(redact(o))` equals
 * `normalize(redact(redact(o)))`, so a scan of a collected dump equals the live scan.
 *
 * - Secrets keep only the public certificates `tls.crt` and `ca.crt`; `stringData` goes. A
 *   `data` that is not a map (or a `tls.crt` that is not a string) becomes an empty value of
 *   its type, so its wrong type is still reported, never its value.
 * - Helm release records (Secrets and ConfigMaps) become their summary: the list of objects
 *   (apiVersion, kind, namespace, name) the release manages, in an annotation.
 * - A Secret's `kubectl.kubernetes.io/last-applied-configuration` (which holds the values)
 *   keeps only apiVersion, kind, name and namespace.
 */
import { HELM_RELEASE_ANNOTATION, isHelmRelease, summarizeHelmRelease } from '../k8s/helm.js';
import { isRecord, type KubeObject } from '../k8s/objects.js';

/** Secret data keys that are public certificates and may be kept. */
export const PUBLIC_SECRET_KEYS = ['tls.crt', 'ca.crt'] as const;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function redact(obj: KubeObject): KubeObject {
  if (obj.kind !== 'Secret' && obj.kind !== 'ConfigMap') return obj;
  if (isHelmRelease(obj)) {
    const summary = summarizeHelmRelease(obj);
    const annotations = { ...withoutLastApplied(obj.metadata.annotations), [HELM_RELEASE_ANNOTATION]: JSON.stringify(summary) };
    const { data: _data, binaryData: _bin, stringData: _sd, ...rest } = obj;
    return { ...rest, metadata: { ...obj.metadata, annotations } } as KubeObject;
  }
  if (obj.kind === 'ConfigMap') return obj;
  // A `data` that is not a map, or a public key of the wrong type, keeps a stand-in of its
  // type (no value), so the normalizer still sees the wrong type and names it.
  let data: unknown = {};
  if (isRecord(obj.data)) {
    const kept: Record<string, unknown> = {};
    for (const k of PUBLIC_SECRET_KEYS) {
      const v = obj.data[k];
      if (typeof v === 'string') kept[k] = v;
      else if (v !== undefined && v !== null) kept[k] = standIn(v);
    }
    data = kept;
  } else if (obj.data !== undefined && obj.data !== null) {
    data = standIn(obj.data);
  }
  const { stringData: _sd, data: _d, ...rest } = obj;
  const annotations = obj.metadata.annotations;
  let safeAnnotations = annotations;
  if (annotations?.[LAST_APPLIED] !== undefined) {
    safeAnnotations = { ...annotations, [LAST_APPLIED]: reduceLastApplied(annotations[LAST_APPLIED]) };
  }
  const metadata = safeAnnotations === annotations ? obj.metadata : { ...obj.metadata, annotations: safeAnnotations };
  return { ...rest, metadata, data } as KubeObject;
}

/** An empty value of the same JSON type as `v` (`''`, `0`, `false`, `[]`, `{}`). */
function standIn(v: unknown): unknown {
  if (Array.isArray(v)) return [];
  if (typeof v === 'string') return '';
  if (typeof v === 'number') return 0;
  if (typeof v === 'boolean') return false;
  return {};
}

function withoutLastApplied(a: Record<string, string> | undefined): Record<string, string> {
  const out = { ...(a ?? {}) };
  delete out[LAST_APPLIED];
  return out;
}

function reduceLastApplied(text: string): string {
  try {
    const o = JSON.parse(text) as unknown;
    if (!isRecord(o)) return '{}';
    const md = isRecord(o.metadata) ? o.metadata : {};
    const meta: Record<string, unknown> = {};
    if (typeof md.name === 'string') meta.name = md.name;
    if (typeof md.namespace === 'string') meta.namespace = md.namespace;
    return JSON.stringify({ apiVersion: o.apiVersion, kind: o.kind, metadata: meta });
  } catch {
    return '{}';
  }
}
