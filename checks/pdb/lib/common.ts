/**
 * Helpers shared by the `pdb` checks: resource references, the budget as written, and
 * capped pod lists for evidence.
 */
import type { Collected } from '../../../src/contract/inputs.js';
import type { ResourceRef } from '../../../src/contract/resource.js';
import { isPercent, type ExpectedScale } from '../../../src/k8s/disruption.js';
import { selectorString } from '../../../src/k8s/selectors.js';
import type { PdbInfo, PodInfo } from '../../../src/contract/values/pdb.js';

/** At most this many pods are named in a finding's evidence (the count is always given). */
export const MAX_LISTED = 20;

export function pdbRef(pdb: PdbInfo): ResourceRef {
  return { apiVersion: pdb.apiVersion, kind: 'PodDisruptionBudget', namespace: pdb.namespace, name: pdb.name };
}

/** The budget as written: `maxUnavailable: 0`, `minAvailable: "50%"`, or `no minAvailable/maxUnavailable`. */
export function budgetText(pdb: PdbInfo): string {
  const v = (x: number | string): string => (typeof x === 'string' ? `"${x}"` : String(x));
  if (pdb.maxUnavailable !== undefined) return `maxUnavailable: ${v(pdb.maxUnavailable)}`;
  if (pdb.minAvailable !== undefined) return `minAvailable: ${v(pdb.minAvailable)}`;
  return 'no minAvailable/maxUnavailable';
}

/** True when the controller resolves the budget against its pods' owners' scale. */
export const usesScale = (pdb: PdbInfo): boolean => pdb.maxUnavailable !== undefined || isPercent(pdb.minAvailable);

/**
 * Why the controller cannot compute a `maxUnavailable` or percentage budget and forces it to
 * 0: owners without a scale subresource (or missing; for owners of other kinds, when the
 * status says `SyncFailed`), or only pods without a controller. `undefined` when it can.
 */
export function scaleFailure(pdb: PdbInfo, exp: ExpectedScale): { owners: string[]; unmanaged: PodInfo[] } | undefined {
  if (!usesScale(pdb)) return undefined;
  const syncFailed = pdb.status?.disruptionAllowed?.reason === 'SyncFailed';
  const owners = [
    ...exp.noScale.map((e) => `${e.owner.kind}/${e.owner.name}${e.owner.missing ? ' (not found)' : ''}`),
    ...(syncFailed ? exp.unknown.map((e) => `${e.owner.kind}/${e.owner.name}`) : []),
  ];
  const onlyUnmanaged = exp.scaleCount === 0 && exp.unmanaged.length > 0 && exp.unknown.length === 0;
  if (owners.length === 0 && !onlyUnmanaged) return undefined;
  return { owners: [...new Set(owners)].sort(), unmanaged: exp.unmanaged };
}

/** The spec and status facts every PDB finding carries. */
export function pdbEvidence(pdb: PdbInfo): Record<string, unknown> {
  const e: Record<string, unknown> = { selector: selectorString(pdb.selector) };
  if (pdb.minAvailable !== undefined) e.minAvailable = pdb.minAvailable;
  if (pdb.maxUnavailable !== undefined) e.maxUnavailable = pdb.maxUnavailable;
  const s = pdb.status;
  if (s) {
    for (const k of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const)
      if (s[k] !== undefined) e[k] = s[k];
  }
  return e;
}

/** `namespace/name` of the first `MAX_LISTED` pods, sorted. */
export function podNames(pods: readonly PodInfo[]): string[] {
  return pods
    .map((p) => `${p.namespace}/${p.name}`)
    .sort()
    .slice(0, MAX_LISTED);
}

/** A pod that is not Succeeded or Failed. */
export const isLive = (p: PodInfo): boolean => p.phase !== 'Succeeded' && p.phase !== 'Failed';

/** Pods that are not Succeeded or Failed. */
export const live = (pods: readonly PodInfo[]): PodInfo[] => pods.filter(isLive);

/** `kubectl patch` command setting a PDB's spec fields. */
export function patchCommand(pdb: PdbInfo, spec: Record<string, unknown>): string {
  return `kubectl patch pdb ${pdb.name} -n ${pdb.namespace} --type merge -p '${JSON.stringify({ spec })}'`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Workload kinds the `workloads` input could not read (its unread parts, e.g. a dump without
 * `statefulsets.apps.json`): a pod's controller of such a kind is unknown, not missing.
 */
export function unreadWorkloadKinds(ctx: { inputs: Record<string, Collected<unknown>> }): string[] {
  return (ctx.inputs.workloads?.partial ?? []).flatMap((p) => ('kind' in p.resource && p.resource.name === '*' ? [p.resource.kind] : []));
}
