/**
 * Helm release records, reduced to the list of objects each release manages.
 *
 * Helm 3 stores a release as a Secret (`type: helm.sh/release.v1`, default driver) or a
 * ConfigMap named `sh.helm.release.v1.<release>.v<revision>` with labels `owner=helm`,
 * `name`, `status`, `version`; `data.release` is `base64(gzip(JSON(Release)))`. A Secret's
 * `data` is base64 once more in the API, so read from a Secret it is base64 twice
 * (helm/helm `pkg/storage/driver/secrets.go`, `util.go`). Helm 2 (Tiller) stored protobuf
 * records labelled `OWNER=TILLER`; those are recognised but not decoded.
 */
import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import { limits, overLimit } from '../limits.js';
import { lazyRequire } from './lazy-require.js';
import { isRecord, str, type KubeObject } from './objects.js';
import { findJsonSyntaxError, lineColumn } from './parse-errors.js';
import { describeIssue, optBool, optNum, optStr, z } from './typed.js';
import type { HelmObjectRef } from '../contract/values/apis.js';

/**
 * js-yaml, loaded (synchronously: summaries are made while objects are read) on the first
 * manifest read, so a scan that decodes no release does not load it.
 */
const loadJsYaml = lazyRequire('js-yaml') as () => typeof import('js-yaml');

/** Annotation under which a reduced release record keeps its summary (JSON). */
export const HELM_RELEASE_ANNOTATION = 'kube-preflight.io/helm-release';

export interface HelmReleaseSummary {
  /** 3, or 2 for a Tiller record. */
  helmVersion: 2 | 3;
  /** Where the record lives. */
  driver: 'Secret' | 'ConfigMap';
  /** Release name, namespace and revision (from the labels, else the payload). */
  name: string;
  namespace: string;
  revision: number;
  /** `deployed`, `superseded`, `failed`… (label `status`; lower-cased). */
  status: string;
  chart?: string;
  chartVersion?: string;
  objects: HelmObjectRef[];
  /** Why the payload could not be read; `objects` is then empty. */
  error?: string;
}

/** True for a Helm 3 or Helm 2 release record (by its labels). */
export function isHelmRelease(obj: KubeObject): boolean {
  const l = obj.metadata.labels ?? {};
  return (obj.kind === 'Secret' || obj.kind === 'ConfigMap') && (l.owner === 'helm' || l.OWNER === 'TILLER');
}

const NOT_A_RELEASE = 'release payload does not decode (base64 → gzip → JSON): not a release object';

/**
 * Reduces a release record to its summary. Never throws: a corrupt payload, or one that
 * inflates past `maxHelmReleaseBytes` (bytes; gunzip stops there), gives a summary with
 * `error` set. A record already reduced (with `HELM_RELEASE_ANNOTATION`) is read back.
 */
export function summarizeHelmRelease(obj: KubeObject): HelmReleaseSummary {
  const l = obj.metadata.labels ?? {};
  const helm2 = l.OWNER === 'TILLER';
  const base: HelmReleaseSummary = {
    helmVersion: helm2 ? 2 : 3,
    driver: obj.kind === 'Secret' ? 'Secret' : 'ConfigMap',
    name: (helm2 ? l.NAME : l.name) ?? obj.metadata.name ?? '',
    namespace: obj.metadata.namespace ?? '',
    revision: Number((helm2 ? l.VERSION : l.version) ?? 0) || 0,
    status: ((helm2 ? l.STATUS : l.status) ?? 'unknown').toLowerCase(),
    objects: [],
  };
  const reduced = obj.metadata.annotations?.[HELM_RELEASE_ANNOTATION];
  if (reduced !== undefined) {
    try {
      const parsed = JSON.parse(reduced) as unknown;
      if (isRecord(parsed) && Array.isArray(parsed.objects)) return summaryFields(parsed, base);
    } catch {
      /* falls through to the error below */
    }
    return { ...base, error: `annotation ${HELM_RELEASE_ANNOTATION} is not a valid release summary` };
  }
  if (helm2) return { ...base, error: 'Helm 2 (Tiller) release record: protobuf format, not decoded' };
  const data = isRecord(obj.data) ? str(obj.data.release) : undefined;
  if (data === undefined) return { ...base, error: 'no data.release in the release record' };
  let text: string;
  try {
    let bytes = Buffer.from(data, 'base64');
    if (obj.kind === 'Secret') bytes = Buffer.from(bytes.toString('latin1'), 'base64');
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = gunzipSync(bytes, { maxOutputLength: limits().maxHelmReleaseBytes });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw e;
        return { ...base, error: `${overLimit('the decompressed release payload', 'maxHelmReleaseBytes')}; not read` };
      }
    }
    text = bytes.toString('utf8');
  } catch {
    return { ...base, error: 'release payload does not decode (base64 → gzip): not gzip data' };
  }
  let release: Record<string, unknown>;
  try {
    release = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // The payload holds the release's values (secrets): no error quotes it, so the position
    // comes from our own scan (made only for a payload that does not parse), not from JSON.parse.
    const found = findJsonSyntaxError(text);
    if (!found) return { ...base, error: NOT_A_RELEASE };
    const at = lineColumn(text, found.offset);
    return {
      ...base,
      error: `release payload does not decode (base64 → gzip → JSON): line ${at.line}, column ${at.column}: ${found.reason}`,
    };
  }
  try {
    const chart = isRecord(release.chart) && isRecord(release.chart.metadata) ? release.chart.metadata : {};
    const out: HelmReleaseSummary = {
      ...base,
      name: base.name || str(release.name) || '',
      namespace: str(release.namespace) ?? base.namespace,
      revision: base.revision || Number(release.version ?? 0),
      chart: str(chart.name),
      chartVersion: str(chart.version),
      objects: [],
    };
    out.objects.push(...manifestObjects(str(release.manifest) ?? '', out.namespace, false));
    for (const h of Array.isArray(release.hooks) ? release.hooks : []) {
      if (isRecord(h)) out.objects.push(...manifestObjects(str(h.manifest) ?? '', out.namespace, true));
    }
    return out;
  } catch {
    return { ...base, error: NOT_A_RELEASE };
  }
}

/** The fields of a reduced release summary that are read back (a hand-made dump may add others). */
const SUMMARY = z.object({
  objects: z.array(z.object({ apiVersion: optStr, kind: optStr, name: optStr, namespace: optStr, hook: optBool })),
  helmVersion: optNum,
  driver: optStr,
  name: optStr,
  namespace: optStr,
  revision: optNum,
  status: optStr,
  chart: optStr,
  chartVersion: optStr,
  error: optStr,
});

/**
 * The fields of a summary read back from an annotation, and no other. A field of the wrong
 * type is the summary's `error`, naming the path (`annotation … .objects[0].apiVersion: expected a string, got an integer`).
 */
function summaryFields(raw: Record<string, unknown>, base: HelmReleaseSummary): HelmReleaseSummary {
  const r = SUMMARY.safeParse(raw);
  if (!r.success) return { ...base, error: `annotation ${HELM_RELEASE_ANNOTATION} ${describeIssue(r.error.issues[0]!, raw)}` };
  const p = r.data;
  const objects = p.objects.map((o) => {
    const ref: HelmObjectRef = { apiVersion: o.apiVersion ?? '', kind: o.kind ?? '', name: o.name ?? '' };
    if (o.namespace != null) ref.namespace = o.namespace;
    if (o.hook === true) ref.hook = true;
    return ref;
  });
  const out: HelmReleaseSummary = {
    helmVersion: p.helmVersion === 2 ? 2 : 3,
    driver: p.driver === 'ConfigMap' ? 'ConfigMap' : 'Secret',
    name: p.name ?? base.name,
    namespace: p.namespace ?? base.namespace,
    revision: p.revision ?? base.revision,
    status: p.status ?? base.status,
    objects,
  };
  for (const k of ['chart', 'chartVersion', 'error'] as const) if (p[k] != null) out[k] = p[k]!;
  return out;
}

/**
 * Objects (apiVersion, kind, name, namespace) of a multi-document manifest; unparseable
 * documents are skipped. A release renders thousands of lines per revision, so the manifest is
 * first read with js-yaml (YAML 1.2 core schema, as `yaml` reads it; about ten times faster),
 * which stops at the first error of the whole stream; a manifest it rejects is read again with
 * `yaml`, document by document, so one bad document costs only itself.
 */
export function manifestObjects(manifest: string, defaultNamespace: string, hook: boolean): HelmObjectRef[] {
  const out: HelmObjectRef[] = [];
  const { CORE_SCHEMA, loadAll } = loadJsYaml();
  let docs: unknown[];
  try {
    docs = loadAll(manifest, undefined, { schema: CORE_SCHEMA });
  } catch {
    docs = parseAllDocuments(manifest)
      .filter((doc) => doc.errors.length === 0)
      .map((doc) => doc.toJS() as unknown);
  }
  for (const o of docs) {
    if (!isRecord(o) || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') continue;
    const md = isRecord(o.metadata) ? o.metadata : {};
    const ref: HelmObjectRef = { apiVersion: o.apiVersion, kind: o.kind, name: str(md.name) ?? '' };
    const ns = str(md.namespace) ?? defaultNamespace;
    if (ns) ref.namespace = ns;
    if (hook) ref.hook = true;
    out.push(ref);
  }
  return out;
}
