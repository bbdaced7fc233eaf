/**
 * Secret values never reach a check, a report or a dump (docs/dump-format.md, "Secrets").
 *
 * `redact` is applied to every object a source reads, before any input normalizes it, and by
 * `collect` before it writes. It works on the object's structure, never on text lines. It is
 * idempotent, and `normalize(redact(o))` equals `normalize(redact(redact(o)))`, so a scan of a
 * collected dump equals the live scan.
 *
 * - Secrets keep, of `data`, `stringData` and `binaryData`, only the public certificates
 *   `tls.crt` and `ca.crt`, and of those only their PEM `CERTIFICATE` blocks: a value holding
 *   no certificate (a private key under `tls.crt`, DER, text) is dropped, and the key and why
 *   (never the content) are noted in the annotation `REDACTED_ANNOTATION`.
 *   A `data` that is not a map keeps a stand-in of its type (no value), so the normalizer
 *   still sees the wrong type and names it.
 * - ConfigMaps lose `binaryData` (their `data` holds the API server's client CAs).
 * - Helm release records (Secrets and ConfigMaps) become their summary: the list of objects
 *   (apiVersion, kind, namespace, name) the release manages, in an annotation.
 * - A Secret's `kubectl.kubernetes.io/last-applied-configuration` (which holds the values)
 *   keeps only apiVersion, kind, name and namespace.
 */
import { HELM_RELEASE_ANNOTATION, isHelmRelease, summarizeHelmRelease } from '../k8s/helm.js';
import { isRecord, type KubeObject } from '../k8s/objects.js';

/** Secret data keys that are public certificates and may be kept. */
export const PUBLIC_SECRET_KEYS = ['tls.crt', 'ca.crt'] as const;

/**
 * Annotation listing, as JSON `[{ "field": "data.tls.crt", "reason": "…" }]`, the public
 * certificate fields `redact` dropped because they held no PEM certificate.
 */
export const REDACTED_ANNOTATION = 'kube-preflight.io/redacted';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const PEM_CERT_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]*?-----END CERTIFICATE-----/g;

/** A field `redact` dropped, and why (never its content). */
export interface RedactedField {
  field: string;
  reason: string;
}

/**
 * The object with no secret value (see the module comment). Objects other than Secrets and
 * ConfigMaps are returned as they are. Never throws.
 */
export function redact(obj: KubeObject): KubeObject {
  return redactObject(obj, true);
}

/**
 * `redact`, except that a Helm release record keeps neither its payload nor a summary
 * (`HELM_RELEASE_ANNOTATION`): no payload is decoded. For readers that do not read releases.
 */
export function redactWithoutReleases(obj: KubeObject): KubeObject {
  return redactObject(obj, false);
}

function redactObject(obj: KubeObject, helmSummary: boolean): KubeObject {
  if (obj.kind !== 'Secret' && obj.kind !== 'ConfigMap') return obj;
  if (isHelmRelease(obj)) {
    const annotations = withoutLastApplied(obj.metadata.annotations);
    if (helmSummary) annotations[HELM_RELEASE_ANNOTATION] = JSON.stringify(summarizeHelmRelease(obj));
    else Reflect.deleteProperty(annotations, HELM_RELEASE_ANNOTATION);
    const { data: _data, binaryData: _bin, stringData: _sd, ...rest } = obj;
    return { ...rest, metadata: { ...obj.metadata, annotations } };
  }
  if (obj.kind === 'ConfigMap') {
    if (obj.binaryData === undefined) return obj;
    const { binaryData: _bin, ...rest } = obj;
    return rest;
  }
  const dropped: RedactedField[] = [];
  // Only the fields of a Secret (`core/v1` `Secret`) are kept: a hand-made dump may hold others.
  const out: KubeObject & Record<string, unknown> = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata };
  if (obj.type !== undefined) out.type = obj.type;
  if (obj.immutable !== undefined) out.immutable = obj.immutable;
  for (const field of ['data', 'stringData', 'binaryData'] as const) {
    const kept = publicCertificates(obj[field], field, field !== 'stringData', dropped);
    if (kept) out[field] = kept;
  }
  const annotations: Record<string, string> = { ...(obj.metadata.annotations ?? {}) };
  if (annotations[LAST_APPLIED] !== undefined) annotations[LAST_APPLIED] = reduceLastApplied(annotations[LAST_APPLIED]);
  const before = readRedacted(annotations[REDACTED_ANNOTATION]);
  const notes = [...before, ...dropped.filter((d) => !before.some((b) => b.field === d.field))];
  if (notes.length > 0) annotations[REDACTED_ANNOTATION] = JSON.stringify(notes);
  else Reflect.deleteProperty(annotations, REDACTED_ANNOTATION);
  const hadAnnotations = obj.metadata.annotations !== undefined;
  out.metadata = hadAnnotations || notes.length > 0 ? { ...obj.metadata, annotations } : obj.metadata;
  // `data` is always present on a redacted Secret; one that is not a map keeps a stand-in of
  // its type, so its wrong type is still reported, never its value.
  if (obj.data !== undefined && obj.data !== null && !isRecord(obj.data)) out.data = standIn(obj.data);
  out.data ??= {};
  return out;
}

/**
 * The fields of a Secret `redact` dropped (its `REDACTED_ANNOTATION`); empty when none or
 * when the annotation is not what `redact` writes.
 */
export function redactedFields(obj: KubeObject): RedactedField[] {
  return readRedacted(obj.metadata.annotations?.[REDACTED_ANNOTATION]);
}

function readRedacted(text: string | undefined): RedactedField[] {
  if (text === undefined) return [];
  try {
    const v = JSON.parse(text) as unknown;
    if (!Array.isArray(v)) return [];
    return v
      .filter((x): x is RedactedField => isRecord(x) && typeof x.field === 'string' && typeof x.reason === 'string')
      .filter((x) => REDACTABLE_FIELDS.has(x.field))
      .map((x) => ({ field: x.field, reason: REASONS.has(x.reason) ? x.reason : NO_CERTIFICATE }));
  } catch {
    return [];
  }
}

const NO_CERTIFICATE = 'holds no PEM certificate (a private key, DER or other data?): dropped, not read';
const NOT_A_STRING = 'is not a string: dropped, not read';
const REASONS = new Set([NO_CERTIFICATE, NOT_A_STRING]);
const REDACTABLE_FIELDS = new Set(['data', 'stringData', 'binaryData'].flatMap((f) => PUBLIC_SECRET_KEYS.map((k) => `${f}.${k}`)));

/**
 * `tls.crt` and `ca.crt` of a Secret's `data` / `binaryData` (`base64`: values are base64) or
 * `stringData`, reduced to their PEM certificate blocks; undefined when none is kept.
 */
function publicCertificates(map: unknown, field: string, base64: boolean, dropped: RedactedField[]): Record<string, string> | undefined {
  if (!isRecord(map)) return undefined;
  const out: Record<string, string> = {};
  for (const k of PUBLIC_SECRET_KEYS) {
    const v = map[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') {
      dropped.push({ field: `${field}.${k}`, reason: NOT_A_STRING });
      continue;
    }
    const text = base64 ? Buffer.from(v.replace(/\s+/g, ''), 'base64').toString('latin1') : v;
    const certs = text.match(PEM_CERT_BLOCK);
    if (!certs) {
      dropped.push({ field: `${field}.${k}`, reason: NO_CERTIFICATE });
      continue;
    }
    // A value of certificates only is kept as it is; anything else around them goes.
    if (certs.reduce((rest, c) => rest.replace(c, ''), text).trim() === '') out[k] = v;
    else {
      const pem = `${certs.join('\n')}\n`;
      out[k] = base64 ? Buffer.from(pem, 'latin1').toString('base64') : pem;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
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
  Reflect.deleteProperty(out, LAST_APPLIED);
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
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    return JSON.stringify({ apiVersion: str(o.apiVersion), kind: str(o.kind), metadata: meta });
  } catch {
    return '{}';
  }
}
