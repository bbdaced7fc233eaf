/**
 * The target version an `apis` check judges against, and what a table row means for it.
 *
 * Rules (issue "Deprecated and removed APIs for a target version"):
 * - removed in or before the target → `removed` (a blocker);
 * - deprecated in or before the target but still served by it → `deprecated`;
 * - without `--target-version`, the target is the next minor after the server's version.
 */
import { CheckError } from '../../../src/contract/errors.js';
import type { CheckContext, Unknown } from '../../../src/contract/check.js';
import type { Collected } from '../../../src/contract/inputs.js';
import { minorOf, parseKubeVersion } from '../../../src/k8s/versions.js';
import type { ServerVersion } from '../../../src/contract/values/core.js';
import { beyondTable, compareMinor, deprecatedApi, type DeprecatedApi } from '../data/deprecated-apis.js';

export interface Versions {
  /** Minor version judged against (`1.29`). */
  target: string;
  /** Where the target came from. */
  targetFrom: 'target-version' | 'next-minor';
  /** Minor version of the API server (`1.26`), when known. */
  server?: string;
  /** The server's gitVersion as reported (`v1.26.4`). */
  serverGitVersion?: string;
}

/**
 * Resolves the target (`--target-version`, else the next minor after the server's version).
 * Throws `CheckError` when neither is known, when `--target-version` does not parse, or when
 * the target is older than the server.
 */
export function resolveVersions(
  ctx: Pick<CheckContext<unknown>, 'targetVersion'>,
  version: Collected<ServerVersion> | undefined,
): Versions {
  const sv = version && (version.status === 'ok' || version.status === 'absent') ? version.value : undefined;
  const server = parseKubeVersion(sv?.gitVersion);
  let target: string;
  let targetFrom: Versions['targetFrom'];
  if (ctx.targetVersion !== undefined) {
    const t = parseKubeVersion(ctx.targetVersion);
    if (!t) throw new CheckError(`--target-version ${ctx.targetVersion} is not a Kubernetes version`);
    target = minorOf(t);
    targetFrom = 'target-version';
  } else if (server) {
    target = `${server.major}.${server.minor + 1}`;
    targetFrom = 'next-minor';
  } else {
    const why = version ? `input version is ${version.status}${version.reason ? `: ${version.reason}` : ''}` : 'no version input';
    throw new CheckError(`no --target-version, and the server version is unknown (${why}); give --target-version`);
  }
  const out: Versions = { target, targetFrom };
  if (server) {
    out.server = minorOf(server);
    out.serverGitVersion = server.raw;
    if (compareMinor(target, out.server) < 0) {
      throw new CheckError(`--target-version ${target} is older than the cluster (${server.raw}); give the version you upgrade to`);
    }
  }
  return out;
}

/**
 * The target as an unknown subject (`{kind: 'KubernetesRelease', name: <target>}`) when it is
 * newer than the table's `coversThrough`: the removals it brings are not known, so no finding
 * is not a pass. Empty otherwise.
 */
export function tableUnknowns(v: Pick<Versions, 'target'>): Unknown[] {
  const why = beyondTable(v.target);
  return why ? [{ resource: { kind: 'KubernetesRelease', name: v.target }, reason: why }] : [];
}

/** What a row means for the target: removed by it, deprecated and still served, or neither. */
export function judge(row: DeprecatedApi, target: string): 'removed' | 'deprecated' | undefined {
  if (row.removedIn !== null && compareMinor(row.removedIn, target) <= 0) return 'removed';
  if (compareMinor(row.deprecatedIn, target) <= 0) return 'deprecated';
  return undefined;
}

export interface Replacement {
  apiVersion: string;
  kind: string;
  availableIn: string | null;
  /** The cluster serves it now (its version ≥ availableIn); null when the server version is unknown. */
  availableNow: boolean | null;
}

/**
 * The API to move to: the row's replacement, or, when the target also removes that one, its
 * own replacement, and so on (flowcontrol v1beta2 → v1beta3 → v1). Null when the chain ends
 * without a replacement (PodSecurityPolicy).
 */
export function replacementFor(row: DeprecatedApi, target: string, server: string | undefined): Replacement | null {
  let cur = row;
  for (let i = 0; i < 10; i++) {
    if (cur.replacementApi === null) return null;
    const kind = cur.replacementKind ?? cur.kind;
    const next = deprecatedApi(cur.replacementApi, kind);
    if (next && next !== cur && judge(next, target) === 'removed') {
      cur = next;
      continue;
    }
    const availableIn = cur.replacementAvailableIn;
    return {
      apiVersion: cur.replacementApi,
      kind,
      availableIn,
      availableNow: server === undefined || availableIn === null ? null : compareMinor(availableIn, server) <= 0,
    };
  }
  return null;
}

/** One sentence on what to move to, for a finding's message. */
export function replacementSentence(row: DeprecatedApi, r: Replacement | null, target: string): string {
  if (r === null) return row.note ?? `No API replaces ${row.apiVersion} ${row.kind}.`;
  const what = `${r.apiVersion}${r.kind !== row.kind ? ` ${r.kind}` : ''}`;
  if (r.availableNow === true) return `Move to ${what}, which the cluster already serves.`;
  if (r.availableNow === false) {
    return (
      `Its replacement ${what} is served only from ${r.availableIn}: upgrade in steps and move to it ` +
      `on a release that serves both (before ${target}).`
    );
  }
  return `Move to ${what}${r.availableIn ? ` (served since ${r.availableIn})` : ''}.`;
}
