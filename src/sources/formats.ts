/**
 * Dump layouts other than kube-preflight's own, recognised when a dump is opened, and the map
 * from each of their files to the resource (or file input) it holds:
 *
 * - a Replicated troubleshoot **support bundle** (`cluster-resources/`, `cluster-info/`);
 * - the output of **`kubectl cluster-info dump --output-directory DIR`** (`nodes.json`,
 *   `<namespace>/pods.json`…);
 * - **Sonobuoy results** (`resources/cluster/`, `resources/ns/<namespace>/`, `meta/`).
 *
 * What a format cannot hold is never silently absent: each built-in resource it has no file
 * for gets a status record (`missing` with a reason naming the format, or `ok` with no objects
 * when the format says it listed the resource and found none), read as `metadata.json`'s
 * `resources` of a collected dump are; a custom resource or a file input it has no file for is
 * `missing` with a reason naming the format.
 *
 * Layouts: troubleshoot `pkg/collect/cluster_resources*.go`; kubectl
 * `pkg/cmd/clusterinfo/clusterinfo_dump.go`; Sonobuoy `pkg/discovery/queries.go` (files
 * `<group>_<version>_<plural>.json`, `core` for the core group, one per namespace with objects).
 */
import type { InputStatus, ApiResource } from '../contract/inputs.js';
import { isRecord } from '../k8s/objects.js';
import { BUILTIN_RESOURCE_NAMES, kindPlural, knownResource } from '../k8s/resources.js';
import { resourceName, type FileInputDef } from './input-def.js';
import { FORMAT_NAMES, type DumpFormat } from '../contract/report.js';

export const OBJECT_FILE = /\.(json|ya?ml)$/i;

/** A file of the dump that stands for a file of kube-preflight's layout. */
export interface FileAlias {
  /** Dump-relative path of the file read. */
  path: string;
  /** Turns its content into what the file input parses; returns it unchanged when it cannot. */
  convert?(content: Buffer): Buffer;
}

/** A resource status, as `metadata.json`'s `resources` records it. */
export interface ResourceRecord {
  status: InputStatus;
  reason?: string;
  count?: number;
}

/** How a dump's files map to inputs. */
export interface DumpLayout {
  /** Undefined for kube-preflight's own layout. */
  format?: DumpFormat;
  /**
   * Files read as resources, by dump-relative path, with the resource each is named after
   * (`plural[.group]`, or undefined when its name says nothing). Files not listed are not read.
   */
  resourceFiles: Map<string, string | undefined>;
  /** Statuses of resources the layout has no file for, by `plural[.group]`. */
  resources: Record<string, ResourceRecord>;
  /** Files of kube-preflight's layout this dump holds under another path, by our path. */
  fileAliases: Map<string, FileAlias>;
  /** Why a resource with no objects and no file is `missing`. */
  missingReason(r: ApiResource): string;
  /** Why a file input with no file is `missing`. */
  noFileReason(def: FileInputDef): string;
  /** Notes for the report about what the layout covers. */
  warnings: string[];
}

/**
 * The resource a file of kube-preflight's layout is named after: `resources/pods.json` →
 * `pods`, `resources/deployments.apps/0001.json` → `deployments.apps`; undefined for other layouts.
 */
export function fileHint(rel: string): string | undefined {
  const parts = rel.split('/');
  if (parts.length === 2) return parts[1]!.replace(OBJECT_FILE, '');
  if (parts.length === 3) return parts[1];
  return undefined;
}

/** Reads a dump file by dump-relative path (rejects when it cannot). */
export type ReadFile = (rel: string) => Promise<Buffer>;

const SONOBUOY_FILE = /^resources\/(?:cluster|ns\/[^/]+)\/([^/_]+)_([^/_]+)_([^/_]+)\.json$/;
const BUNDLE_ROOT = /^(?:[^/]+\/)?(?:cluster-resources|cluster-info)\//;

/**
 * Recognises a dump's layout from its file list (dump-relative paths): `metadata.json` or a
 * `resources/` file outside Sonobuoy's naming → kube-preflight's own; Sonobuoy's `resources/`
 * naming → Sonobuoy; `cluster-resources/` or `cluster-info/` → support bundle; a top-level
 * `nodes.{json,yaml}` with no `resources/` → cluster-info dump; anything else → our own
 * layout. Reads a format's own records (Sonobuoy `meta/config.json`, troubleshoot
 * `*-errors.json`) through `read`; one that cannot be read or parsed is a warning.
 */
export async function detectLayout(files: string[], read: ReadFile): Promise<DumpLayout> {
  const ours =
    files.includes('metadata.json') || files.some((f) => f.startsWith('resources/') && OBJECT_FILE.test(f) && !SONOBUOY_FILE.test(f));
  if (!ours && files.some((f) => SONOBUOY_FILE.test(f))) return sonobuoyLayout(files, read);
  if (!ours && files.some((f) => BUNDLE_ROOT.test(f))) return supportBundleLayout(files, read);
  if (!ours && files.some((f) => /^nodes\.(json|ya?ml)$/i.test(f))) return clusterInfoDumpLayout(files);
  return ownLayout(files);
}

function ownLayout(files: string[]): DumpLayout {
  return {
    resourceFiles: new Map(files.filter((f) => f.startsWith('resources/') && OBJECT_FILE.test(f)).map((f) => [f, fileHint(f)])),
    resources: {},
    fileAliases: new Map(),
    missingReason: (r) => `not in the dump: no ${r.kind} objects and no resources/${resourceName(r)}.{yaml,json} file`,
    noFileReason: (def) => `not in the dump: no ${def.files.join(' or ')}`,
    warnings: [],
  };
}

/** `RoleBindings (rolebindings.rbac.authorization.k8s.io)`: a built-in resource, for a reason. */
function kinds(name: string): string {
  const known = knownResource(name);
  return known ? `${kindPlural(known.kind)} (${name})` : name;
}

/** Records `missing` for every listable built-in resource not in `held`. */
function missingBuiltins(held: Set<string>, reason: (name: string) => string): Record<string, ResourceRecord> {
  const out: Record<string, ResourceRecord> = {};
  for (const name of BUILTIN_RESOURCE_NAMES) {
    // Bindings are created, never listed; events are not read from any dump.
    if (held.has(name) || name === 'bindings' || name.startsWith('events')) continue;
    out[name] = { status: 'missing', reason: reason(name) };
  }
  return out;
}

/** What a file input reads, for a reason: `pki/ (…)`. */
function fileInputWhat(def: FileInputDef): string {
  return `${def.files.join(' or ')} (${def.description})`;
}

/**
 * troubleshoot's folder (namespaced, `<folder>/<namespace>.json`) or file (cluster-scoped,
 * `<folder>.json`) names under `cluster-resources/`, by resource. Several names are the ones
 * different troubleshoot versions wrote (`resource-quota`, `resource-quotas`).
 */
const BUNDLE_NAMES: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  deployments: 'deployments.apps',
  replicasets: 'replicasets.apps',
  statefulsets: 'statefulsets.apps',
  daemonsets: 'daemonsets.apps',
  jobs: 'jobs.batch',
  cronjobs: 'cronjobs.batch',
  ingress: 'ingresses.networking.k8s.io',
  'network-policy': 'networkpolicies.networking.k8s.io',
  'resource-quota': 'resourcequotas',
  'resource-quotas': 'resourcequotas',
  'storage-classes': 'storageclasses.storage.k8s.io',
  'custom-resource-definitions': 'customresourcedefinitions.apiextensions.k8s.io',
  nodes: 'nodes',
  namespaces: 'namespaces',
  limitranges: 'limitranges',
  pvs: 'persistentvolumes',
  pvcs: 'persistentvolumeclaims',
  roles: 'roles.rbac.authorization.k8s.io',
  rolebindings: 'rolebindings.rbac.authorization.k8s.io',
  clusterroles: 'clusterroles.rbac.authorization.k8s.io',
  clusterrolebindings: 'clusterrolebindings.rbac.authorization.k8s.io',
  clusterRoleBindings: 'clusterrolebindings.rbac.authorization.k8s.io',
  'pod-disruption-budgets': 'poddisruptionbudgets.policy',
  serviceaccounts: 'serviceaccounts',
  configmaps: 'configmaps',
  endpoints: 'endpoints',
  endpointslices: 'endpointslices.discovery.k8s.io',
  leases: 'leases.coordination.k8s.io',
  priorityclasses: 'priorityclasses.scheduling.k8s.io',
  volumeattachments: 'volumeattachments.storage.k8s.io',
};

/** troubleshoot's `*-errors.json` name where it is not the folder's (`storage-errors.json`). */
const BUNDLE_ERROR_NAMES: Record<string, string> = { 'storage-classes': 'storage' };

/** Why a support bundle has no Secrets: its cluster-resources collector never lists them. */
const BUNDLE_SECRETS =
  'a troubleshoot support bundle holds no Secrets (its secret collector records only whether a named Secret and key exist)';

async function supportBundleLayout(files: string[], read: ReadFile): Promise<DumpLayout> {
  // A bundle made by `support-bundle` from an archive may nest `cluster-resources/` one level deeper.
  const root = /^(.*?)cluster-(?:resources|info)\//.exec(files.find((f) => BUNDLE_ROOT.test(f))!)![1]!;
  const cr = `${root}cluster-resources/`;
  const warnings: string[] = [];
  const resourceFiles = new Map<string, string | undefined>();
  const seen = new Map<string, string>(); // resource → folder or file seen
  for (const f of files) {
    if (!f.startsWith(cr) || !OBJECT_FILE.test(f)) continue;
    const parts = f.slice(cr.length).split('/');
    if (parts[0] === 'custom-resources') {
      // custom-resources/<plural.group>/<namespace>.{json,yaml} or custom-resources/<plural.group>.{json,yaml};
      // troubleshoot writes each list in both JSON and YAML: the JSON one is read when both exist.
      const hint = parts.length === 3 ? parts[1]! : parts.length === 2 ? parts[1]!.replace(OBJECT_FILE, '') : undefined;
      if (hint === undefined || (!/\.json$/i.test(f) && files.includes(f.replace(OBJECT_FILE, '.json')))) continue;
      resourceFiles.set(f, hint);
      continue;
    }
    const folder = parts.length === 1 ? parts[0]!.replace(OBJECT_FILE, '') : parts.length === 2 ? parts[0]! : undefined;
    const name = folder === undefined ? undefined : BUNDLE_NAMES[folder];
    if (name === undefined || folder!.endsWith('-errors')) continue;
    resourceFiles.set(f, name);
    seen.set(name, parts.length === 1 ? `cluster-resources/${parts[0]}` : `cluster-resources/${folder}/`);
  }

  const label = FORMAT_NAMES['support-bundle'];
  const held = new Set(Object.values(BUNDLE_NAMES));
  const resources = missingBuiltins(held, (name) =>
    name === 'secrets'
      ? BUNDLE_SECRETS
      : `a ${label} holds no ${kinds(name)} (troubleshoot's cluster-resources collector does not list them)`,
  );
  for (const name of held) {
    if (!seen.has(name)) {
      resources[name] = {
        status: 'missing',
        reason:
          `this ${label} has no cluster-resources/ file for ${kinds(name)} (the troubleshoot version or ` +
          `spec that wrote it did not collect them)`,
      };
    }
  }
  // `<folder>-errors.json`: what troubleshoot could not list, by namespace (a map) or in all (a list).
  for (const [folder, name] of Object.entries(BUNDLE_NAMES)) {
    const errFile = `${cr}${BUNDLE_ERROR_NAMES[folder] ?? folder}-errors.json`;
    if (!files.includes(errFile)) continue;
    let doc: unknown;
    try {
      doc = JSON.parse((await read(errFile)).toString('utf8'));
    } catch (e) {
      warnings.push(
        `${errFile}: not read ` +
          `(${e instanceof SyntaxError ? 'not JSON' : ((e as NodeJS.ErrnoException).code ?? 'error')}); ` +
          `what troubleshoot could not list is not known`,
      );
      continue;
    }
    const messages = Array.isArray(doc)
      ? doc.map(String)
      : isRecord(doc)
        ? Object.entries(doc).map(([ns, m]) => `${ns}: ${String(m)}`)
        : [];
    if (messages.length === 0) continue;
    const status = messages.every((m) => /forbidden/i.test(m)) ? 'forbidden' : 'failed';
    resources[name] = {
      status,
      reason:
        `${errFile.slice(root.length)}: troubleshoot could not list ${kinds(name)} ` +
        `(${messages.slice(0, 2).join('; ')}${messages.length > 2 ? `; and ${messages.length - 2} more` : ''})`,
    };
  }

  const fileAliases = new Map<string, FileAlias>();
  const version = `${root}cluster-info/cluster_version.json`;
  // `{ info: <the /version document>, string }`
  if (files.includes(version))
    fileAliases.set('version.json', {
      path: version,
      convert: (c) => innerJson(c, (d) => (isRecord(d) && isRecord(d.info) ? d.info : undefined)),
    });
  const groups = `${cr}groups.json`;
  // A JSON array of APIGroups (the core group first, which `/apis` does not list).
  if (files.includes(groups)) {
    fileAliases.set('discovery/apis.json', {
      path: groups,
      convert: (c) =>
        innerJson(c, (d) =>
          Array.isArray(d) ? { kind: 'APIGroupList', groups: d.filter((g) => !(isRecord(g) && g.name === '')) } : undefined,
        ),
    });
  }
  return {
    format: 'support-bundle',
    resourceFiles,
    resources,
    fileAliases,
    // Every built-in resource has a record: what reaches here is a custom resource.
    missingReason: (r) =>
      `this ${label} has no cluster-resources/custom-resources/${resourceName(r)}/ file (troubleshoot ` +
      `writes none for an empty list, nor when it could not list them)`,
    noFileReason: (def) => `a ${label} holds no ${fileInputWhat(def)}`,
    warnings,
  };
}

/** The resources `kubectl cluster-info dump` writes, by file name (without extension). */
const CLUSTER_INFO_NAMES: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  replicationcontrollers: 'replicationcontrollers',
  deployments: 'deployments.apps',
  replicasets: 'replicasets.apps',
  daemonsets: 'daemonsets.apps',
};

function clusterInfoDumpLayout(files: string[]): DumpLayout {
  const label = FORMAT_NAMES['cluster-info-dump'];
  const resourceFiles = new Map<string, string | undefined>();
  const namespaces = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    if (parts.length === 1 && /^nodes\.(json|ya?ml)$/i.test(f)) resourceFiles.set(f, 'nodes');
    if (parts.length !== 2 || !OBJECT_FILE.test(f)) continue;
    const name = CLUSTER_INFO_NAMES[parts[1]!.replace(OBJECT_FILE, '')];
    if (name === undefined) continue;
    resourceFiles.set(f, name);
    namespaces.add(parts[0]!);
  }
  const held = new Set(['nodes', ...Object.values(CLUSTER_INFO_NAMES)]);
  const resources = missingBuiltins(
    held,
    (name) =>
      `a ${label} holds no ${kinds(name)} (only nodes, pods, services, replicationcontrollers, ` +
      `deployments, replicasets, daemonsets and events)`,
  );
  const ns = [...namespaces].sort();
  return {
    format: 'cluster-info-dump',
    resourceFiles,
    resources,
    fileAliases: new Map(),
    missingReason: (r) => `a ${label} holds no ${r.kind} objects (no custom resources)`,
    noFileReason: (def) => `a ${label} holds no ${fileInputWhat(def)}`,
    warnings: [
      `a ${label} holds only the namespaces it was given (kube-system and default unless ` +
        `--all-namespaces): ` +
        `${ns.length > 0 ? `this one holds ${ns.join(', ')}` : 'this one holds none'}; objects of other ` +
        `namespaces are not known`,
    ],
  };
}

async function sonobuoyLayout(files: string[], read: ReadFile): Promise<DumpLayout> {
  const label = FORMAT_NAMES.sonobuoy;
  const warnings: string[] = [];
  const resourceFiles = new Map<string, string | undefined>();
  for (const f of files) {
    const m = SONOBUOY_FILE.exec(f);
    if (!m) continue;
    const [, group, , plural] = m;
    resourceFiles.set(f, group === 'core' ? plural! : `${plural!}.${group!}`);
  }
  // meta/config.json `Resources`: the plurals Sonobuoy queried. It writes no file for a list
  // with no objects, so a queried resource with no file has none.
  let queried: Set<string> | undefined;
  if (files.includes('meta/config.json')) {
    try {
      const doc = JSON.parse((await read('meta/config.json')).toString('utf8')) as unknown;
      if (isRecord(doc) && Array.isArray(doc.Resources)) queried = new Set(doc.Resources.filter((r): r is string => typeof r === 'string'));
      else warnings.push('meta/config.json: no Resources list; a resource with no file is not known to have no objects');
    } catch (e) {
      warnings.push(
        `meta/config.json: not read ` +
          `(${e instanceof SyntaxError ? 'not JSON' : ((e as NodeJS.ErrnoException).code ?? 'error')}); a ` +
          `resource with no file is not known to have no objects`,
      );
    }
  } else {
    warnings.push('no meta/config.json: which resources Sonobuoy queried is not known; a resource with no file is missing');
  }
  const held = new Set(resourceFiles.values() as Iterable<string>);
  const resources: Record<string, ResourceRecord> = {};
  for (const name of BUILTIN_RESOURCE_NAMES) {
    if (held.has(name) || name === 'bindings' || name.startsWith('events')) continue;
    const plural = name.split('.')[0]!;
    if (queried?.has(plural))
      resources[name] = { status: 'ok', count: 0, reason: `Sonobuoy queried ${plural} and wrote no file: none exist` };
    else if (queried)
      resources[name] = {
        status: 'missing',
        reason: `this ${label} holds no ${kinds(name)}: not in the Resources Sonobuoy queried (meta/config.json)`,
      };
    else
      resources[name] = {
        status: 'missing',
        reason: `this ${label} has no file for ${kinds(name)} (none exist, or Sonobuoy did not query them: meta/config.json not read)`,
      };
  }
  const fileAliases = new Map<string, FileAlias>();
  // The API server's `/version` and `/apis` documents, as they are.
  if (files.includes('serverversion.json')) fileAliases.set('version.json', { path: 'serverversion.json' });
  if (files.includes('servergroups.json')) fileAliases.set('discovery/apis.json', { path: 'servergroups.json' });
  return {
    format: 'sonobuoy',
    resourceFiles,
    resources,
    fileAliases,
    missingReason: (r) => `a ${label} holds no custom resources (no ${r.kind} objects)`,
    noFileReason: (def) => `a ${label} holds no ${fileInputWhat(def)}`,
    warnings,
  };
}

/** Re-serialises the JSON document `pick` takes out of `content`; `content` unchanged when it is not JSON or `pick` finds nothing. */
function innerJson(content: Buffer, pick: (doc: unknown) => unknown): Buffer {
  let doc: unknown;
  try {
    doc = JSON.parse(content.toString('utf8'));
  } catch {
    return content;
  }
  const inner = pick(doc);
  return inner === undefined ? content : Buffer.from(JSON.stringify(inner));
}
