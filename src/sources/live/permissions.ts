/**
 * The permission plan of a live scan: before reading anything, ask the API server — with one
 * SelfSubjectAccessReview per distinct request the selected inputs will make — what the
 * kubeconfig's identity may not read, so the report and stderr say up front which checks
 * will be incomplete and why. Reviews are answered from the authorizers (RBAC, webhooks) and
 * stored nowhere ("Authorization Overview: Checking API access", kubernetes.io).
 *
 * Requests: `list` on each resource of a resource input (in the input's namespace when it
 * selects one); for inputs that read everything, `list` on each listable resource discovery
 * reports that they read (what the scan will list; `list` on `*` when discovery is not at hand
 * or failed), and `get` on
 * each non-resource URL of a file input (`/version`, `/metrics`). A resource that discovery
 * reports as not served (a CRD that is not installed) is not asked about: the scan will not
 * list it, and a denial would predict an error that never comes.
 */
import { resourceName, type InputDef } from '../input-def.js';
import type { ApiResource } from '../../contract/inputs.js';
import { everythingReads } from '../everything.js';
import type { Discovery } from './discovery.js';
import type { ApiHttp } from './http.js';
import { describeStatus, jsonBody } from './http.js';

export interface PermissionPlan {
  /** Reviews sent. */
  reviewed: number;
  /** Requests the identity may not make, with the inputs that need them. */
  denied: Array<{ request: string; inputs: string[]; reason?: string }>;
  /** Why the plan could not be made (the review API refused or failed); `denied` is then empty. */
  error?: string;
}

interface Review {
  request: string;
  spec: Record<string, unknown>;
  inputs: string[];
}

/**
 * The reviews the given inputs need, one per distinct request, sorted by request;
 * `notServed` names resources (`plural[.group]`) to leave out; `listable`, the resources
 * discovery reports as listable, which inputs that read everything are reviewed on.
 */
export function reviewsFor(
  defs: InputDef[],
  notServed: ReadonlySet<string> = new Set(),
  listable?: ReadonlyArray<{ group: string; resource: string }>,
): Review[] {
  const byRequest = new Map<string, Review>();
  const add = (request: string, spec: Record<string, unknown>, input: string): void => {
    const r = byRequest.get(request) ?? { request, spec, inputs: [] };
    if (!r.inputs.includes(input)) r.inputs.push(input);
    byRequest.set(request, r);
  };
  for (const d of defs) {
    if (d.type === 'files') {
      for (const path of d.apiPaths ?? []) {
        const p = path.split('?')[0]!;
        add(`get ${p}`, { nonResourceAttributes: { verb: 'get', path: p } }, d.key);
      }
      continue;
    }
    if (d.everything && !listable) add('list every resource', { resourceAttributes: { verb: 'list', group: '*', resource: '*' } }, d.key);
    for (const r of d.everything ? (listable ?? []) : []) {
      const name = r.group ? `${r.resource}.${r.group}` : r.resource;
      if (everythingReads(d, name))
        add(`list ${name}`, { resourceAttributes: { verb: 'list', group: r.group, resource: r.resource } }, d.key);
    }
    for (const r of d.resources) {
      if (notServed.has(resourceName(r))) continue;
      const ns = d.select?.namespace;
      const name = r.group ? `${r.resource}.${r.group}` : r.resource;
      add(
        `list ${name}${ns ? ` in ${ns}` : ''}`,
        { resourceAttributes: { verb: 'list', group: r.group, resource: r.resource, ...(ns ? { namespace: ns } : {}) } },
        d.key,
      );
    }
  }
  return [...byRequest.values()].sort((a, b) => (a.request < b.request ? -1 : 1));
}

/**
 * Sends the reviews (a few at a time) and returns what is denied. With `discovery`, first
 * leaves out the resources it reports as not served (`absent`); a resource whose discovery
 * failed is still asked about. Rejects only with discovery's `FatalError` (not a Kubernetes API).
 */
export async function permissionPlan(http: ApiHttp, defs: InputDef[], concurrency = 4, discovery?: Discovery): Promise<PermissionPlan> {
  const notServed = new Set<string>();
  let listable: Array<{ group: string; resource: string }> | undefined;
  if (discovery) {
    if (defs.some((d) => d.type === 'resources' && d.everything)) {
      const all = await discovery.listable();
      if (all.ok) listable = all.value.resources;
    }
    const resources = new Map<string, ApiResource>();
    for (const d of defs) if (d.type === 'resources') for (const r of d.resources) resources.set(resourceName(r), r);
    // Resolved together: each group-version's discovery document is fetched once, in parallel.
    const resolved = await Promise.all([...resources].map(async ([name, r]) => ({ name, status: (await discovery.resolve(r)).status })));
    for (const { name, status } of resolved) if (status === 'absent') notServed.add(name);
  }
  const reviews = reviewsFor(defs, notServed, listable);
  const denied: PermissionPlan['denied'] = [];
  let error: string | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < reviews.length && error === undefined) {
      const r = reviews[next++]!;
      try {
        const res = await http.accessReview(r.spec);
        if (res.status !== 201 && res.status !== 200) {
          error = `SelfSubjectAccessReview: ${describeStatus(res)}`;
          return;
        }
        const body = jsonBody(res) as { status?: { allowed?: boolean; reason?: string } } | null | undefined;
        if (body === undefined || body === null) {
          error = 'SelfSubjectAccessReview: the answer is not a JSON object';
          return;
        }
        const status = body.status;
        if (status?.allowed !== true)
          denied.push({ request: r.request, inputs: r.inputs, ...(status?.reason ? { reason: status.reason } : {}) });
      } catch (e) {
        error = `SelfSubjectAccessReview: ${(e as Error).message}`;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, reviews.length) }, worker));
  if (error !== undefined) return { reviewed: reviews.length, denied: [], error };
  denied.sort((a, b) => (a.request < b.request ? -1 : 1));
  return { reviewed: reviews.length, denied };
}
