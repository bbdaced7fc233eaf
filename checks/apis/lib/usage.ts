/**
 * Where deprecated APIs are used, merged per subject: one entry per object (or manifest
 * document) and API version, with every piece of evidence and where it came from.
 *
 * Evidence sources (`source` in each entry of `sources`):
 * - `helm`: the newest deployed revision of a Helm 3 release lists the object in its manifest
 *   or hooks (`release`, `revision`, `chart`, `record`, `hook`). Helm diffs an upgrade against
 *   this manifest, so `helm upgrade` fails once the API is gone.
 * - `last-applied`: the object's `kubectl.kubernetes.io/last-applied-configuration` names the
 *   version (kept by `kubectl apply`; stale after patches or server-side apply).
 * - `managed-fields`: a `metadata.managedFields` entry: a client (`manager`) wrote the object
 *   through that version (stale once that client stopped writing).
 * - `manifest`: a document of a `--manifests` file (`file`, `line`, `doc`).
 *
 * Subjects: cluster objects are `{apiVersion: <the deprecated version>, kind, namespace?, name,
 * field: <version>}` (the field keeps two deprecated versions of one object apart, since
 * fingerprints ignore the version); manifest documents are `{file, field: '<apiVersion>
 * <Kind> <namespace/>name'}` (`doc N` when the document has no name).
 */
import { CheckError } from '../../../src/contract/errors.js';
import type { CheckContext, CheckOutput, RawFinding, Unknown } from '../../../src/contract/check.js';
import type { Collected } from '../../../src/contract/inputs.js';
import type { ResourceRef } from '../../../src/contract/resource.js';
import type { ApiUsageObject, HelmRelease, Manifests } from '../../../src/contract/values/apis.js';
import type { ServerVersion } from '../../../src/contract/values/core.js';
import { compareMinor, deprecatedApi, type DeprecatedApi } from '../data/deprecated-apis.js';
import { judge, replacementFor, replacementSentence, resolveVersions, tableUnknowns, type Versions } from './judge.js';

export type EvidenceSource =
  | { source: 'helm'; release: string; revision: number; chart?: string; record: string; hook?: true }
  | { source: 'last-applied' }
  | { source: 'managed-fields'; manager: string; operation?: string; time?: string; subresource?: string }
  | { source: 'manifest'; file: string; line: number; doc: number };

export interface Usage {
  row: DeprecatedApi;
  resource: ResourceRef;
  /** `FlowSchema lab-legacy-batch`, `Ingress prod/web in deploy/web.yaml` (for messages). */
  label: string;
  sources: EvidenceSource[];
}

export interface UsageInputs {
  'api-usage': Collected<ApiUsageObject[]>;
  'helm-releases': Collected<HelmRelease[]>;
  manifests: Collected<Manifests>;
}

export interface Collection {
  /** Subjects using an API of the table that has a planned removal, sorted by identity. */
  usages: Usage[];
  /**
   * Subjects examined: cluster objects with pre-release evidence (1 when the cluster's objects
   * were read and none has any), objects of Helm release manifests, manifest objects.
   */
  evaluated: number;
  unknowns: Unknown[];
  /** Status of each evidence source, for the report's details. */
  sources: Record<string, string>;
}

const SOURCE_KEYS = ['api-usage', 'helm-releases', 'manifests'] as const;

const usable = (c: Collected<unknown> | undefined): boolean => c !== undefined && (c.status === 'ok' || c.status === 'absent');

/**
 * Gathers the evidence of every source. The sources are one `requiresAnyOf` group (the checks
 * read whichever is there), so the engine leaves a source that was not read to the check: each
 * is an unknown here, except the cluster's in a scan without a cluster (`--no-cluster`: only
 * the manifests were asked for). The unread parts of a source that was read are the engine's.
 * Throws nothing: the caller decides what to do when no source holds anything (`noSourceReason`).
 */
export function collectUsages(inputs: UsageInputs, scanHasCluster: boolean): Collection {
  const byKey = new Map<string, Usage>();
  const unknowns: Unknown[] = [];
  const sources: Record<string, string> = {};
  let evaluated = 0;

  for (const key of SOURCE_KEYS) {
    const c = inputs[key];
    sources[key] = c.status;
    if (!usable(c) && (scanHasCluster || key === 'manifests')) {
      unknowns.push({
        resource: { kind: 'Input', name: key },
        reason: `could not be read (${c.status}): ${c.reason ?? 'no reason given'}`,
      });
    }
  }

  // The sources of each usage as JSON, so a repeated source is found without comparing every one.
  const seen = new Map<string, Set<string>>();
  const add = (row: DeprecatedApi, key: string, resource: ResourceRef, label: string, src: EvidenceSource): void => {
    let u = byKey.get(key);
    let sources = seen.get(key);
    if (!u || !sources) {
      byKey.set(key, (u = { row, resource, label, sources: [] }));
      seen.set(key, (sources = new Set()));
    }
    const json = JSON.stringify(src);
    if (sources.has(json)) return;
    sources.add(json);
    u.sources.push(src);
  };
  const objectUse = (row: DeprecatedApi, namespace: string | undefined, name: string, src: EvidenceSource): void => {
    const ns = row.namespaced ? namespace : undefined;
    const version = row.apiVersion.slice(row.apiVersion.indexOf('/') + 1);
    const resource: ResourceRef = { apiVersion: row.apiVersion, kind: row.kind, ...(ns ? { namespace: ns } : {}), name, field: version };
    add(row, `obj|${row.apiVersion}|${row.kind}|${ns ?? ''}|${name}`, resource, `${row.kind} ${ns ? `${ns}/` : ''}${name}`, src);
  };
  const rowWithRemoval = (apiVersion: string, kind: string): DeprecatedApi | undefined => {
    const row = deprecatedApi(apiVersion, kind);
    return row && row.removedIn !== null ? row : undefined;
  };

  if (usable(inputs['api-usage'])) {
    const objects = inputs['api-usage'].value ?? [];
    // The input keeps only objects with pre-release evidence; a cluster read without any still
    // counts as one subject examined.
    evaluated += Math.max(1, objects.length);
    for (const o of objects) {
      if (o.lastApplied?.kind === o.kind) {
        const row = rowWithRemoval(o.lastApplied.apiVersion, o.kind);
        if (row) objectUse(row, o.namespace, o.name, { source: 'last-applied' });
      }
      for (const m of o.managedFields ?? []) {
        const row = rowWithRemoval(m.apiVersion, o.kind);
        if (!row) continue;
        const src: EvidenceSource = { source: 'managed-fields', manager: m.manager };
        if (m.operation) src.operation = m.operation;
        if (m.time) src.time = m.time;
        if (m.subresource) src.subresource = m.subresource;
        objectUse(row, o.namespace, o.name, src);
      }
    }
  }

  if (usable(inputs['helm-releases'])) {
    const newest = new Map<string, HelmRelease>();
    for (const r of inputs['helm-releases'].value ?? []) {
      const k = `${r.namespace}/${r.name}`;
      const prev = newest.get(k);
      if (!prev || r.revision > prev.revision) newest.set(k, r);
    }
    for (const r of [...newest.values()].sort((a, b) => cmp(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`))) {
      if (r.error) {
        unknowns.push({
          resource: { kind: 'HelmRelease', namespace: r.namespace, name: r.name },
          reason: `revision ${r.revision} (${r.driver} ${r.record}) cannot be read: ${r.error}`,
        });
        continue;
      }
      evaluated += r.objectCount;
      for (const obj of r.objects) {
        const row = rowWithRemoval(obj.apiVersion, obj.kind);
        if (!row) continue;
        const src: EvidenceSource = {
          source: 'helm',
          release: `${r.namespace}/${r.name}`,
          revision: r.revision,
          record: `${r.driver} ${r.namespace}/${r.record}`,
        };
        if (r.chart) src.chart = `${r.chart}${r.chartVersion ? `-${r.chartVersion}` : ''}`;
        if (obj.hook) src.hook = true;
        objectUse(row, obj.namespace, obj.name, src);
      }
    }
  }

  if (usable(inputs.manifests)) {
    const m = inputs.manifests.value!;
    evaluated += m.objectCount;
    for (const p of m.problems) {
      unknowns.push({ resource: { file: p.file, ...(p.line ? { field: `line ${p.line}` } : {}) }, reason: p.reason });
    }
    for (const o of m.objects) {
      const row = rowWithRemoval(o.apiVersion, o.kind);
      if (!row) continue;
      const who = o.name !== undefined ? `${o.namespace ? `${o.namespace}/` : ''}${o.name}` : `doc ${o.doc}`;
      const field = `${o.apiVersion} ${o.kind} ${who}`;
      add(row, `file|${o.file}|${field}`, { file: o.file, field }, `${o.kind} ${who} in ${o.file}`, {
        source: 'manifest',
        file: o.file,
        line: o.line,
        doc: o.doc,
      });
    }
  }

  const usages = [...byKey.entries()].sort(([a], [b]) => cmp(a, b)).map(([, u]) => u);
  return { usages, evaluated, unknowns, sources };
}

/**
 * Why there is no evidence at all, or undefined. The engine errors when no source was read;
 * `manifests` is `absent` when none were given, which is no evidence either: with neither
 * cluster source read, the check has nothing to say.
 */
export function noSourceReason(inputs: UsageInputs): string | undefined {
  if (usable(inputs['api-usage']) || usable(inputs['helm-releases']) || inputs.manifests.status === 'ok') return undefined;
  const parts = SOURCE_KEYS.map((k) => `${k} is ${inputs[k].status}${inputs[k].reason ? ` (${inputs[k].reason})` : ''}`);
  return `no evidence source could be read: ${parts.join('; ')}`;
}

/** The evidence sources of a usage, in words (`Helm release prod/web revision 3, last-applied configuration`). */
export function describeSources(sources: EvidenceSource[]): string {
  const parts = sources.map((s) => {
    switch (s.source) {
      case 'helm':
        return `Helm release ${s.release} revision ${s.revision}${s.hook ? ' (hook)' : ''}`;
      case 'last-applied':
        return 'its last-applied configuration';
      case 'managed-fields':
        return `managedFields (manager ${s.manager || 'unnamed'}${s.operation ? `, ${s.operation}` : ''})`;
      case 'manifest':
        return `${s.file} line ${s.line}`;
    }
  });
  return [...new Set(parts)].join(', ');
}

/**
 * Commands for the sources of a usage (what to change so the old version stops being used);
 * `replacement` is the apiVersion to move to, null when no API replaces it (the object must go).
 */
export function remediationFor(u: Usage, replacement: string | null): string {
  const none = `no API replaces ${u.row.apiVersion}`;
  const lines: string[] = [];
  for (const s of u.sources) {
    if (s.source === 'helm') {
      const [ns, name] = s.release.split('/');
      lines.push(
        `Helm release ${s.release}: ` +
          `${replacement ? `change the chart to ${replacement}` : `remove the ${u.row.kind} from the chart (${none})`} ` +
          `and upgrade the release before the cluster upgrade; if the cluster is already upgraded, first ` +
          `rewrite the stored release with the helm-mapkubeapis plugin: \`helm mapkubeapis ${name} ` +
          `--namespace ${ns}\`.`,
      );
    } else if (s.source === 'last-applied') {
      lines.push(
        replacement
          ? `Change the manifest of ${u.label} to ${replacement} and re-apply it (\`kubectl apply -f ` +
              `<file>\`), which also rewrites the last-applied annotation.`
          : `Delete ${u.label} and its manifest (${none}).`,
      );
    } else if (s.source === 'managed-fields') {
      lines.push(
        `Update the client "${s.manager || 'unnamed'}" that writes ${u.label} through ` +
          `${u.row.apiVersion}${replacement ? ` to use ${replacement}` : ''}.`,
      );
    } else if (replacement) {
      lines.push(
        `Edit ${s.file} (line ${s.line}) to ${replacement}; \`kubectl convert -f ${s.file} ` +
          `--output-version ${replacement}\` (kubectl-convert plugin) helps.`,
      );
    } else {
      lines.push(`Remove the ${u.row.kind} from ${s.file} (line ${s.line}): ${none}.`);
    }
  }
  return [...new Set(lines)].join('\n');
}

/**
 * The finding for a usage that the target removes (`removed`) or deprecates (`deprecated`).
 * Evidence: apiVersion, kind, deprecatedIn, removedIn, targetVersion, serverVersion,
 * replacementApi, replacementKind, replacementAvailableIn, replacementAvailableNow, sources,
 * tableSource.
 */
export function usageFinding(u: Usage, v: Versions, rule: string, verdict: 'removed' | 'deprecated'): RawFinding {
  const row = u.row;
  const r = replacementFor(row, v.target, v.server);
  const found = `Found in ${describeSources(u.sources)}.`;
  let what: string;
  if (verdict === 'removed') {
    const already = v.server !== undefined && compareMinor(row.removedIn!, v.server) <= 0;
    what = already
      ? `${u.label} uses ${row.apiVersion}, removed in ${row.removedIn}: the cluster ` +
        `(${v.serverGitVersion}) already does not serve it, nor does ${v.target}.`
      : `${u.label} uses ${row.apiVersion}, which Kubernetes ${v.target} no longer serves (deprecated in ` +
        `${row.deprecatedIn}, removed in ${row.removedIn}).`;
  } else {
    what =
      `${u.label} uses ${row.apiVersion}, deprecated in ${row.deprecatedIn} and removed in ` +
      `${row.removedIn}; Kubernetes ${v.target} still serves it.`;
  }
  return {
    rule,
    resource: u.resource,
    message: `${what} ${found} ${replacementSentence(row, r, v.target)}`,
    evidence: {
      apiVersion: row.apiVersion,
      kind: row.kind,
      deprecatedIn: row.deprecatedIn,
      removedIn: row.removedIn,
      targetVersion: v.target,
      serverVersion: v.serverGitVersion ?? null,
      replacementApi: r?.apiVersion ?? null,
      replacementKind: r?.kind ?? null,
      replacementAvailableIn: r?.availableIn ?? null,
      replacementAvailableNow: r?.availableNow ?? null,
      sources: u.sources,
      tableSource: row.source,
    },
    remediation: remediationFor(u, r ? r.apiVersion : null),
  };
}

/** Runs the shared collection for a removed/deprecated check: findings of one verdict. */
export function runUsageCheck(
  inputs: { optional: UsageInputs & { version: Collected<ServerVersion> } },
  ctx: Pick<CheckContext<unknown>, 'targetVersion' | 'source'>,
  rule: string,
  verdict: 'removed' | 'deprecated',
): CheckOutput {
  const o = inputs.optional;
  const none = noSourceReason(o);
  if (none) throw new CheckError(none);
  const v = resolveVersions(ctx, o.version);
  const c = collectUsages(o, ctx.source.type !== 'none');
  const findings = c.usages.filter((u) => judge(u.row, v.target) === verdict).map((u) => usageFinding(u, v, rule, verdict));
  return {
    evaluated: c.evaluated,
    findings,
    unknowns: [...tableUnknowns(v), ...c.unknowns],
    ...(c.evaluated === 0 ? { notApplicable: 'no Helm release object or manifest object to examine' } : {}),
    details: { targetVersion: v.target, targetFrom: v.targetFrom, serverVersion: v.serverGitVersion ?? null, sources: c.sources },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
