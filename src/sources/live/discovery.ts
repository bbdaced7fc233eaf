/**
 * API discovery (the legacy, unaggregated endpoints every Kubernetes version serves):
 * `/api` and `/apis` for the groups and their versions (preferred first), then
 * `/api/v1` and `/apis/<group>/<version>` (an `APIResourceList`: name, kind, namespaced,
 * verbs) only for the group-versions a scan needs. Each document is fetched once.
 *
 * Version choice: an `ApiResource` lists its versions preferred first; the first one whose
 * group-version the server serves *and* that lists the resource is used, so a version the
 * server serves only as an older alternative is never requested when a preferred one exists.
 */
import type { InputStatus, ApiResource } from '../../contract/inputs.js';
import http from 'node:http';
import { FatalError } from '../../contract/errors.js';
import { isRecord } from '../../k8s/objects.js';
import { jsonErrorMessage } from '../../k8s/parse-errors.js';
import { resourceName } from '../input-def.js';
import { describeStatus, type ApiHttp, type HttpResponse } from './http.js';

/** A resource as discovery lists it. */
export interface ServedResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

export type Resolution = { status: 'ok'; version: string; served: ServedResource } | { status: Exclude<InputStatus, 'ok'>; reason: string };

type Fetched<T> = { ok: true; value: T } | { ok: false; status: Exclude<InputStatus, 'ok' | 'absent'>; reason: string };

/** A discovery document that could not be read (an aggregated API down, a 403). */
export interface DiscoveryFailure {
  /** `plural[.group]`-like name of what is unknown: the group-version (`metrics.k8s.io/v1beta1`). */
  source: string;
  status: Exclude<InputStatus, 'ok' | 'absent'>;
  reason: string;
}

export class Discovery {
  private groupsDoc?: Promise<Fetched<Map<string, string[]>>>;
  private readonly lists = new Map<string, Promise<Fetched<ServedResource[]>>>();

  /** Every discovery document asked for, by path: see `document`. */
  private readonly documents = new Map<string, Promise<HttpResponse>>();

  constructor(private readonly http: ApiHttp) {}

  /**
   * `GET path` (with `Accept: application/json`) of a discovery document — `/api`, `/apis`,
   * `/api/<version>`, `/apis/<group>/<version>` (`isDiscoveryPath`) — sent once per scan,
   * whether discovery or a file input asks first. Rejects as `ApiHttp.get`.
   */
  document(path: string): Promise<HttpResponse> {
    let sent = this.documents.get(path);
    if (!sent) {
      sent = this.http.get(path);
      this.documents.set(path, sent);
    }
    return sent;
  }

  /**
   * Served groups (`''` for core) and their versions, preferred first. Rejects with
   * `FatalError` when the server answers `GET /api` with 404: it is not a Kubernetes API server.
   */
  groups(): Promise<Fetched<Map<string, string[]>>> {
    this.groupsDoc ??= (async () => {
      const core = await this.fetchJson('/api', true);
      if (!core.ok) return core;
      const apis = await this.fetchJson('/apis');
      if (!apis.ok) return apis;
      const out = new Map<string, string[]>();
      const coreVersions =
        isRecord(core.value) && Array.isArray(core.value.versions)
          ? core.value.versions.filter((v): v is string => typeof v === 'string')
          : [];
      if (coreVersions.length > 0) out.set('', coreVersions);
      const groups = isRecord(apis.value) && Array.isArray(apis.value.groups) ? apis.value.groups : [];
      for (const g of groups) {
        if (!isRecord(g) || typeof g.name !== 'string') continue;
        const preferred =
          isRecord(g.preferredVersion) && typeof g.preferredVersion.version === 'string' ? g.preferredVersion.version : undefined;
        const versions = (Array.isArray(g.versions) ? g.versions : [])
          .map((v) => (isRecord(v) ? v.version : undefined))
          .filter((v): v is string => typeof v === 'string');
        out.set(g.name, preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions);
      }
      return { ok: true as const, value: out };
    })();
    return this.groupsDoc;
  }

  /** The resources of one group-version (subresources included, as discovery lists them). */
  resources(group: string, version: string): Promise<Fetched<ServedResource[]>> {
    const gv = group ? `${group}/${version}` : version;
    let p = this.lists.get(gv);
    if (!p) {
      p = (async () => {
        const doc = await this.fetchJson(group ? `/apis/${gv}` : `/api/${version}`);
        if (!doc.ok) return doc;
        const list = isRecord(doc.value) && Array.isArray(doc.value.resources) ? doc.value.resources : [];
        const value = list.filter(isRecord).map((r) => ({
          group,
          version,
          resource: typeof r.name === 'string' ? r.name : '',
          kind: typeof r.kind === 'string' ? r.kind : '',
          namespaced: r.namespaced === true,
          verbs: Array.isArray(r.verbs) ? r.verbs.map(String) : [],
        }));
        return { ok: true as const, value };
      })();
      this.lists.set(gv, p);
    }
    return p;
  }

  /** Which version of `r` to list, or why it cannot be listed. */
  async resolve(r: ApiResource): Promise<Resolution> {
    const name = resourceName(r);
    const groups = await this.groups();
    if (!groups.ok) return { status: groups.status, reason: `discovery failed: ${groups.reason}` };
    const served = groups.value.get(r.group);
    const notServed = r.crd
      ? `${name} is not served by this server (its CustomResourceDefinition is not installed)`
      : `${name} is not served by this server`;
    if (!served) return { status: 'absent', reason: notServed };
    for (const v of r.versions) {
      if (!served.includes(v)) continue;
      const list = await this.resources(r.group, v);
      if (!list.ok) return { status: list.status, reason: `discovery of ${r.group ? `${r.group}/` : ''}${v} failed: ${list.reason}` };
      const found = list.value.find((x) => x.resource === r.resource);
      if (found?.verbs.includes('list')) return { status: 'ok', version: v, served: found };
    }
    return { status: 'absent', reason: `${name} is not served by this server in version ${r.versions.join(' or ')}` };
  }

  /**
   * Every listable resource (verb `list`, no subresource), each once: through its group's
   * preferred version, or the first other version that serves it. Group-versions whose
   * discovery failed are returned as failures.
   */
  async listable(): Promise<Fetched<{ resources: ServedResource[]; failures: DiscoveryFailure[] }>> {
    const groups = await this.groups();
    if (!groups.ok) return groups;
    const resources: ServedResource[] = [];
    const failures: DiscoveryFailure[] = [];
    const seen = new Set<string>();
    const docs = [...groups.value].flatMap(([g, versions]) => versions.map((v) => ({ g, v, doc: this.resources(g, v) })));
    for (const { g, v, doc } of docs) {
      const list = await doc;
      if (!list.ok) {
        failures.push({
          source: g ? `${g}/${v}` : v,
          status: list.status,
          reason: `discovery of ${g ? `${g}/` : ''}${v} failed: ${list.reason}`,
        });
        continue;
      }
      for (const r of list.value) {
        const key = `${g}/${r.resource}`;
        if (r.resource.includes('/') || !r.verbs.includes('list') || seen.has(key)) continue;
        seen.add(key);
        resources.push(r);
      }
    }
    return { ok: true, value: { resources, failures } };
  }

  private async fetchJson(path: string, fatal404 = false): Promise<Fetched<unknown>> {
    let res;
    try {
      res = await this.document(path);
    } catch (e) {
      return { ok: false, status: 'failed', reason: `GET ${path}: ${(e as Error).message}` };
    }
    if (fatal404 && res.status === 404) throw notKubernetes(this.http.server, res);
    if (res.status !== 200) {
      return { ok: false, status: res.status === 403 ? 'forbidden' : 'failed', reason: `GET ${path}: ${describeStatus(res)}` };
    }
    const text = res.body.toString('utf8');
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (e) {
      return { ok: false, status: 'failed', reason: jsonErrorMessage(`GET ${path}`, text, e) };
    }
  }
}

/** True for the path of a discovery document: `/api`, `/apis`, `/api/<version>`, `/apis/<group>/<version>`. */
export function isDiscoveryPath(path: string): boolean {
  return /^\/api(\/[^/?]+)?$|^\/apis(\/[^/?]+\/[^/?]+)?$/.test(path);
}

/**
 * The error for a server that answers `GET /api` with 404 (a web server, a proxy to something
 * else): `https://host:port: not a Kubernetes API server (GET /api: 404 Not Found)`.
 */
export function notKubernetes(server: string, res: Pick<HttpResponse, 'status'>): FatalError {
  const text = http.STATUS_CODES[res.status];
  return new FatalError(`${server}: not a Kubernetes API server (GET /api: ${res.status}${text ? ` ${text}` : ''})`);
}
