/**
 * Fingerprints identify a finding across scans (for waivers, baselines and diffs): the same
 * check, rule and resource give the same fingerprint whatever the time, the API version an
 * object was read through, or the wording of the message.
 */
import { createHash } from 'node:crypto';
import type { ResourceRef } from '../contract/resource.js';
import { groupOf } from './objects.js';

/** A stable text identity of a resource: `group/Kind/namespace/name#field` or `file:path#field`. */
export function resourceIdentity(r: ResourceRef): string {
  if ('file' in r) return `file:${r.file}${r.field ? `#${r.field}` : ''}`;
  return `${r.apiVersion ? groupOf(r.apiVersion) : ''}/${r.kind}/${r.namespace ?? ''}/${r.name}${r.field ? `#${r.field}` : ''}`;
}

/** 24 hex digits of SHA-256 over check id, rule and resource identity. */
export function fingerprint(checkId: string, rule: string, resource: ResourceRef): string {
  return createHash('sha256')
    .update(JSON.stringify([checkId, rule, resourceIdentity(resource)]))
    .digest('hex')
    .slice(0, 24);
}

/** A short human label for a resource: `PodDisruptionBudget prod/web`, `pki/apiserver.crt`. */
export function resourceLabel(r: ResourceRef): string {
  if ('file' in r) return `${r.file}${r.field ? ` [${r.field}]` : ''}`;
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.field ? ` [${r.field}]` : ''}`;
}
