/**
 * Inputs of the `apis` family: where a cluster (or a Git repository) still uses API versions
 * that a Kubernetes release deprecates or removes.
 *
 * - `api-usage`: every object of every kind, reduced to the API versions clients used to
 *   write it: the `kubectl.kubernetes.io/last-applied-configuration` annotation and
 *   `metadata.managedFields[].apiVersion`. An object's own `apiVersion` in a list is not
 *   evidence: the API server serves every object in every version it serves (kubent #230).
 * - `helm-releases` / `helm2-releases`: Helm 3 release records (`owner=helm,status=deployed`)
 *   as summaries (`src/k8s/helm.ts`), and Helm 2 (Tiller) records, which are not decoded.
 * - `deprecated-api-requests`: the `apiserver_requested_deprecated_apis` gauge of `/metrics`
 *   (`metrics/apiserver.txt` in a dump).
 * - `api-discovery`: the group versions the server serves (`/apis`; `discovery/apis.json`),
 *   and `api-services`: APIService objects, from which a dump without discovery derives them.
 * - `manifests`: YAML/JSON manifests given with `--manifests` (or `manifests/` in a dump).
 *
 * To keep memory small, only pre-release API versions (`v1beta1`, `v2alpha1`…) and the
 * `extensions` group are kept as usage signals: every removal of the deprecation table is one
 * of those (`test/checks/apis-table.test.ts` asserts it).
 */
import { readdir, stat } from 'node:fs/promises';
import { readRegularFile } from '../../files.js';
import { limits } from '../../limits.js';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, isMap, isSeq, type Document } from 'yaml';
import { summarizeHelmRelease } from '../../k8s/helm.js';
import { arr, isRecord, str, type KubeObject } from '../../k8s/objects.js';
import { PrometheusTextError, readSamples } from '../../k8s/prometheus.js';
import { R } from '../../k8s/resources.js';
import { InputError, type DumpFile, type FileFetch, type FileInputDef, type ResourceInputDef } from '../input-def.js';
import { fetchAsFile } from '../file-inputs.js';
import { yamlConversionError, yamlParseError } from '../../k8s/parse-errors.js';
import { decodeText, parseJsonFile } from '../parse.js';
import { describeIssue, optConditions, optList, optObject, optStr, pathText, readAs, typeName, z } from '../schema.js';
import type {
  ManagedFieldsUse,
  ApiUsageObject,
  HelmRelease,
  Helm2Release,
  DeprecatedApiRequests,
  ApiDiscovery,
  ApiServiceInfo,
  ManifestObject,
  Manifests,
} from '../../contract/values/apis.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * True for an apiVersion that may be deprecated: a pre-release version (`v1beta1`,
 * `v2alpha1`) or any version of the `extensions` group.
 */
export function isPrereleaseApiVersion(apiVersion: string): boolean {
  const i = apiVersion.indexOf('/');
  const group = i < 0 ? '' : apiVersion.slice(0, i);
  const version = i < 0 ? apiVersion : apiVersion.slice(i + 1);
  return group === 'extensions' || /^v\d+(alpha|beta)\d*$/.test(version);
}

/**
 * Reduces an object to its pre-release usage signals; undefined when it has none.
 * `metadata.managedFields` and the annotations are typed by the accumulator (`objectMeta`);
 * the last-applied configuration's `apiVersion` or `kind` of the wrong type throws `InputError`.
 */
export function normalizeApiUsage(o: KubeObject): ApiUsageObject | undefined {
  if (o.kind === 'Event') return undefined;
  let lastApplied: ApiUsageObject['lastApplied'];
  const la = o.metadata.annotations?.[LAST_APPLIED];
  if (la !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(la) as unknown;
    } catch {
      // An annotation that is not JSON says nothing about an API version.
    }
    if (isRecord(parsed)) {
      // Only the two fields read are checked (this runs on every object of a dump).
      for (const k of ['apiVersion', 'kind'] as const) {
        const v = parsed[k];
        if (v !== undefined && v !== null && typeof v !== 'string') {
          throw new InputError(
            `${pathText(['metadata', 'annotations', LAST_APPLIED])} (JSON) .${k}: expected a string, got ${typeName(v)}`,
          );
        }
      }
      if (typeof parsed.apiVersion === 'string' && typeof parsed.kind === 'string' && isPrereleaseApiVersion(parsed.apiVersion)) {
        lastApplied = { apiVersion: parsed.apiVersion, kind: parsed.kind };
      }
    }
  }
  const managedFields: ManagedFieldsUse[] = [];
  for (const m of arr(o.metadata.managedFields)) {
    if (!isRecord(m) || typeof m.apiVersion !== 'string' || !isPrereleaseApiVersion(m.apiVersion)) continue;
    const e: ManagedFieldsUse = { manager: str(m.manager) ?? '', apiVersion: m.apiVersion };
    if (typeof m.operation === 'string') e.operation = m.operation;
    if (typeof m.time === 'string') e.time = m.time;
    if (typeof m.subresource === 'string' && m.subresource !== '') e.subresource = m.subresource;
    managedFields.push(e);
  }
  if (!lastApplied && managedFields.length === 0) return undefined;
  const out: ApiUsageObject = { kind: o.kind, name: o.metadata.name ?? '' };
  if (o.metadata.namespace) out.namespace = o.metadata.namespace;
  if (lastApplied) out.lastApplied = lastApplied;
  if (managedFields.length > 0) out.managedFields = managedFields;
  return out;
}

export const apiUsageInput: ResourceInputDef<ApiUsageObject> = {
  type: 'resources',
  key: 'api-usage',
  description: 'Objects of every kind that a client wrote through a pre-release API version (last-applied configuration, managedFields)',
  resources: [],
  everything: { exclude: ['events', 'events.events.k8s.io'] },
  normalize: normalizeApiUsage,
};

export const helmReleasesInput: ResourceInputDef<HelmRelease> = {
  type: 'resources',
  key: 'helm-releases',
  description: 'Deployed Helm 3 release records (Secrets and ConfigMaps owner=helm): the objects of each release',
  resources: [
    { ...R.secrets, subjects: 'Helm releases stored in Secrets' },
    { ...R.configmaps, subjects: 'Helm releases stored in ConfigMaps' },
  ],
  select: { labelSelector: 'owner=helm,status=deployed' },
  readsHelmReleases: true,
  normalize(o) {
    const s = summarizeHelmRelease(o);
    if (s.helmVersion !== 3) return undefined;
    const out: HelmRelease = {
      driver: s.driver,
      record: o.metadata.name ?? '',
      namespace: s.namespace,
      name: s.name,
      revision: s.revision,
      status: s.status,
      objectCount: s.objects.length,
      objects: s.objects.filter((x) => isPrereleaseApiVersion(x.apiVersion)),
    };
    if (s.chart) out.chart = s.chart;
    if (s.chartVersion) out.chartVersion = s.chartVersion;
    if (s.error) out.error = s.error;
    return out;
  },
};

export const helm2ReleasesInput: ResourceInputDef<Helm2Release> = {
  type: 'resources',
  key: 'helm2-releases',
  description: 'Helm 2 (Tiller) release records (ConfigMaps and Secrets OWNER=TILLER)',
  resources: [
    { ...R.configmaps, subjects: 'Helm 2 releases stored in ConfigMaps' },
    { ...R.secrets, subjects: 'Helm 2 releases stored in Secrets' },
  ],
  select: { labelSelector: 'OWNER=TILLER' },
  normalize(o) {
    const l = o.metadata.labels ?? {};
    return {
      driver: o.kind === 'Secret' ? 'Secret' : 'ConfigMap',
      record: o.metadata.name ?? '',
      namespace: o.metadata.namespace ?? '',
      name: l.NAME ?? o.metadata.name ?? '',
      revision: Number(l.VERSION ?? 0) || 0,
      status: (l.STATUS ?? 'UNKNOWN').toLowerCase(),
    };
  },
};

const METRICS_FILE = 'metrics/apiserver.txt';
const DEPRECATED_METRIC = 'apiserver_requested_deprecated_apis';
const START_METRIC = 'process_start_time_seconds';

/** GETs one API server path as a dump file (403 → forbidden, other errors → failed). */

/** Reads the deprecated-API gauge and the process start time from an API server's metrics text. */
export function parseDeprecatedApiRequests(path: string, content: Buffer): DeprecatedApiRequests {
  const text = decodeText(path, content);
  let samples;
  try {
    samples = readSamples(text, new Set([DEPRECATED_METRIC, START_METRIC]));
  } catch (e) {
    if (e instanceof PrometheusTextError) throw new InputError(`${path}:${e.line}: ${e.reason}`);
    throw e;
  }
  const out: DeprecatedApiRequests = { requests: [] };
  for (const s of samples) {
    if (s.name === START_METRIC) {
      if (Number.isFinite(s.value)) out.apiserverStartTime = new Date(Math.round(s.value * 1000)).toISOString();
      continue;
    }
    out.requests.push({
      group: s.labels.group ?? '',
      version: s.labels.version ?? '',
      resource: s.labels.resource ?? '',
      subresource: s.labels.subresource ?? '',
      removedRelease: s.labels.removed_release ?? '',
      value: s.value,
    });
  }
  return out;
}

export const deprecatedApiRequestsInput: FileInputDef<DeprecatedApiRequests> = {
  type: 'files',
  key: 'deprecated-api-requests',
  description: 'Deprecated API versions clients requested since the API server started (apiserver_requested_deprecated_apis in /metrics)',
  files: [METRICS_FILE],
  apiPaths: ['/metrics'],
  live: (ctx) => fetchAsFile(ctx, '/metrics', METRICS_FILE),
  parse(files) {
    const f = files[0]!;
    const value = parseDeprecatedApiRequests(f.path, f.content);
    return { value, count: value.requests.length };
  },
};

const DISCOVERY_FILE = 'discovery/apis.json';

const API_GROUP_LIST = z.object({ groups: z.array(z.object({ versions: optList({ groupVersion: optStr }) })) });

/**
 * Reads an `APIGroupList` (`GET /apis`, `kubectl get --raw /apis`). A field read of the wrong
 * type throws `InputError` naming the file and the path (`discovery/apis.json .groups[0].versions: expected a list, got a string`).
 */
export function parseApiGroupList(path: string, content: Buffer): ApiDiscovery {
  const doc = parseJsonFile(path, content);
  if (!isRecord(doc) || !Array.isArray(doc.groups)) {
    throw new InputError(`${path}: not an APIGroupList (the output of kubectl get --raw /apis)`);
  }
  const gvs = new Set<string>();
  for (const g of readAs(API_GROUP_LIST, doc, path).groups) {
    for (const v of g.versions ?? []) {
      if (v.groupVersion) gvs.add(v.groupVersion);
    }
  }
  return { groupVersions: [...gvs].sort() };
}

export const apiDiscoveryInput: FileInputDef<ApiDiscovery> = {
  type: 'files',
  key: 'api-discovery',
  description: 'API group versions the server serves (/apis; discovery/apis.json in a dump)',
  files: [DISCOVERY_FILE],
  apiPaths: ['/apis'],
  live: (ctx) => fetchAsFile(ctx, '/apis', DISCOVERY_FILE, { accept: 'application/json' }),
  parse(files) {
    const f = files[0]!;
    const value = parseApiGroupList(f.path, f.content);
    return { value, count: value.groupVersions.length };
  },
};

const API_SERVICE = z.object({
  spec: optObject({ group: optStr, version: optStr, service: z.object({}).nullish() }),
  status: optObject({ conditions: optConditions }),
});

/** Reduces an APIService. Throws `InputError` for a field of the wrong type (`.spec.group: expected a string, got an integer`). */
export function normalizeApiService(o: KubeObject): ApiServiceInfo {
  const { spec, status } = readAs(API_SERVICE, o);
  const available = (status?.conditions ?? []).find((c) => c.type === 'Available');
  const out: ApiServiceInfo = {
    name: o.metadata.name ?? '',
    group: spec?.group ?? '',
    version: spec?.version ?? '',
    local: spec?.service == null,
  };
  const st = available?.status;
  if (st) out.available = st;
  return out;
}

export const apiServicesInput: ResourceInputDef<ApiServiceInfo> = {
  type: 'resources',
  key: 'api-services',
  description: 'APIService objects (the group versions the server serves, local or aggregated)',
  resources: [R.apiservices],
  normalize: normalizeApiService,
};

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** The fields a manifest object is read for (other fields are the API server's to validate). */
const MANIFEST_OBJECT = z.object({ apiVersion: z.string(), kind: z.string() });
const MANIFEST_META = optObject({ name: optStr, namespace: optStr });

/**
 * Kubernetes objects of one manifest file: every YAML document (or the JSON document) that is
 * a mapping with `apiVersion` and `kind`, and the items of `List`s. Other documents (Helm
 * values, Chart.yaml without kind, package.json) are skipped; a document that is not valid
 * YAML is a problem of the file, with its line (an unrendered Helm template is one).
 */
export function readManifest(file: string, content: Buffer): { objects: ManifestObject[]; problems: Manifests['problems'] } {
  const objects: ManifestObject[] = [];
  const problems: Manifests['problems'] = [];
  let text: string;
  try {
    text = decodeText(file, content);
  } catch (e) {
    return { objects, problems: [{ file, reason: (e as Error).message.replace(`${file}: `, '') }] };
  }
  const lc = new LineCounter();
  const docs: Document.Parsed[] = parseAllDocuments(text, { lineCounter: lc }) as Document.Parsed[];
  docs.forEach((doc, i) => {
    const docNo = i + 1;
    const err = doc.errors[0];
    if (err) {
      const at = yamlParseError(err);
      problems.push({
        file,
        ...(at.line ? { line: at.line } : {}),
        reason:
          `document ${docNo} is not valid YAML: ` +
          `${at.line ? `line ${at.line}, column ${at.column}: ` : ''}${at.reason.replace(/^invalid YAML: /, '')}`,
      });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      problems.push({
        file,
        reason: `document ${docNo} is not valid YAML: ${yamlConversionError(e).reason.replace(/^invalid YAML: /, '')}`,
      });
      return;
    }
    if (!isRecord(value)) return;
    const startLine = (node: { range?: [number, number, number] | null } | null | undefined): number =>
      lc.linePos(node?.range?.[0] ?? doc.range[0]).line;
    const push = (v: unknown, line: number, at: Array<string | number>): void => {
      // A mapping with both apiVersion and kind is a Kubernetes object: a field it reads of the
      // wrong type makes it a problem (an unknown naming file and line), never a skipped document.
      if (!isRecord(v) || v.apiVersion == null || v.kind == null) return;
      const problem = (issue: z.core.$ZodIssue): void => {
        problems.push({ file, line, reason: `document ${docNo}: ${describeIssue({ ...issue, path: [...at, ...issue.path] }, value)}` });
      };
      const r = MANIFEST_OBJECT.safeParse(v);
      if (!r.success) {
        problem(r.error.issues[0]!);
        return;
      }
      const o: ManifestObject = { file, doc: docNo, line, apiVersion: r.data.apiVersion, kind: r.data.kind };
      // A name or namespace of the wrong type (`name: {{ .Values.name }}` of an unrendered
      // template reads as a mapping) is a problem too; the object's apiVersion is still read.
      const md = MANIFEST_META.safeParse(v.metadata);
      if (md.success) {
        if (md.data?.namespace != null) o.namespace = md.data.namespace;
        if (md.data?.name != null) o.name = md.data.name;
      } else {
        const issue = md.error.issues[0]!;
        problem({ ...issue, path: ['metadata', ...issue.path] });
      }
      objects.push(o);
    };
    const kind = value.kind;
    if (Array.isArray(value.items) && (kind === undefined || (typeof kind === 'string' && kind.endsWith('List')))) {
      const itemsNode = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
      value.items.forEach((item, j) => {
        const node = isSeq(itemsNode) ? (itemsNode.items[j] as { range?: [number, number, number] | null } | undefined) : undefined;
        push(item, startLine(node ?? doc.contents), ['items', j]);
      });
      return;
    }
    push(value, startLine(doc.contents), []);
  });
  return { objects, problems };
}

async function listManifestFiles(abs: string, shown: string): Promise<Array<{ abs: string; shown: string }>> {
  const st = await stat(abs);
  if (st.isFile()) return [{ abs, shown }];
  const out: Array<{ abs: string; shown: string }> = [];
  const entries = (await readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const childShown = `${shown.replace(/\/+$/, '')}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listManifestFiles(join(abs, e.name), childShown)));
    else if (e.isFile() && MANIFEST_FILE.test(e.name)) out.push({ abs: join(abs, e.name), shown: childShown });
  }
  return out;
}

/**
 * Reads `--manifests` paths: files as given, folders recursively (`*.yaml|*.yml|*.json`,
 * skipping dot-folders and node_modules). Each file's path is the given path joined with the
 * path inside it, with `/` separators. Throws `InputError` for a path that does not exist or
 * holds no manifest file.
 */
export async function readManifestPaths(paths: string[]): Promise<FileFetch> {
  const files: DumpFile[] = [];
  for (const p of paths) {
    const shown = p.replace(/\\/g, '/');
    let found;
    try {
      found = await listManifestFiles(p, shown);
    } catch (e) {
      throw new InputError(
        `--manifests ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`,
      );
    }
    if (found.length === 0) throw new InputError(`--manifests ${p}: no .yaml, .yml or .json file`);
    for (const f of found) {
      try {
        files.push({ path: f.shown, content: await readRegularFile(f.abs, limits().maxFileBytes) });
      } catch (e) {
        throw new InputError(`--manifests ${f.shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
  }
  return { status: 'ok', files, sources: paths };
}

export const manifestsInput: FileInputDef<Manifests> = {
  type: 'files',
  key: 'manifests',
  description: 'Manifest files to check for deprecated APIs (--manifests; manifests/ in a dump)',
  files: ['manifests/'],
  // The user's own files, not cluster state: none given is nothing to judge, not a gap.
  whenNoFiles: {
    status: 'absent',
    reason: 'no --manifests given and no manifests/ in the dump',
    value: () => ({ objects: [], objectCount: 0, fileCount: 0, problems: [] }),
  },
  fromOptions: async (opts) => (opts.manifests?.length ? readManifestPaths(opts.manifests) : undefined),
  parse(files) {
    const value: Manifests = { objects: [], objectCount: 0, fileCount: 0, problems: [] };
    for (const f of files) {
      if (!MANIFEST_FILE.test(f.path)) continue;
      value.fileCount++;
      const r = readManifest(f.path, f.content);
      value.objectCount += r.objects.length;
      value.objects.push(...r.objects.filter((o) => isPrereleaseApiVersion(o.apiVersion)));
      value.problems.push(...r.problems);
    }
    return { value, count: value.objectCount };
  },
};

export const APIS_INPUTS = [
  apiUsageInput,
  helmReleasesInput,
  helm2ReleasesInput,
  deprecatedApiRequestsInput,
  apiDiscoveryInput,
  apiServicesInput,
  manifestsInput,
];
