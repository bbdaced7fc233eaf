/**
 * A loopback HTTPS server that serves a dump folder through the Kubernetes REST API, for the
 * live-source and end-to-end tests.
 *
 * Serves: `/version` (the dump's `version.json`, its `serverVersion` when written by kubectl),
 * `/api`, `/apis`, `/api/v1` and `/apis/<group>/<version>` (APIResourceList with name, kind,
 * namespaced, verbs and a `status` subresource), lists of core, grouped and CRD resources
 * (cluster-wide and namespace-scoped paths, `limit`/`continue`, `labelSelector`,
 * `fieldSelector`), single-object GETs, `/metrics` (metrics/apiserver.txt), `/readyz`,
 * `/readyz/etcd`, `/livez`, `/healthz`. Responses above 128 KiB are gzipped when the client
 * accepts it, as kube-apiserver does.
 *
 * Which resources exist: built-ins (see `builtin-resources.ts`) that the dump holds objects
 * of or a file named after (`resources/daemonsets.apps.json`); every version of every CRD in
 * the dump; and other kinds found in objects (plural guessed as Kubernetes does).
 *
 * Test hooks: bearer-token auth (401 otherwise), whole resources forbidden, an RBAC authorizer
 * granting only given rules (`grantOnly`), per-path faults (403/404/429/500 N times,
 * `Retry-After`, delays), expired `continue` tokens (410), and a log of every request.
 * Any method but GET gets 405 and is logged too.
 */
import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { groupOf, isRecord, type KubeObject } from '../../src/k8s/objects.js';
import { guessPlural } from '../../src/k8s/resources.js';
import { matches, matchesFieldSelector, parseLabelSelector } from '../../src/k8s/selectors.js';
import { fileHint } from '../../src/sources/formats.js';
import { parseObjectsFile } from '../../src/sources/parse.js';
import type { PolicyRule } from '../../src/cli/rbac.js';
import { BUILTIN_RESOURCES } from './builtin-resources.js';
import { makeTestPki, type TestPki } from './tls.js';

export interface Fault {
  /** HTTP status to answer with instead of the real response (403, 404, 429, 500…). */
  status?: number;
  /** How many requests it applies to (default: all). */
  times?: number;
  /** `Retry-After` header, in seconds. */
  retryAfter?: number;
  /** Wait before answering (with the fault, or the real response). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path with query, as sent. */
  url: string;
  /** Path without query. */
  path: string;
}

interface Served {
  group: string;
  versions: string[];
  resource: string;
  kind: string;
  namespaced: boolean;
  crd: boolean;
  objects: KubeObject[];
}

/**
 * Non-resource URLs Kubernetes' default ClusterRoles `system:discovery` and
 * `system:public-info-viewer` grant every authenticated user (`*` ends a prefix).
 */
const DEFAULT_URLS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/readyz',
  '/version',
  '/version/',
  '/openapi',
  '/openapi/*',
];

/** What RBAC authorizes a request as: a verb on a resource, or on a non-resource URL. */
type Attributes = { verb: string; group: string; resource: string; namespace?: string } | { verb: string; path: string };

/** Whether `rules` allow `a`, as the RBAC authorizer decides (`*` matches anything; `/x/*` a prefix). */
function rbacAllows(rules: PolicyRule[], a: Attributes): boolean {
  const has = (list: string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === '*' || x === v);
  return rules.some((r) => {
    if (!has(r.verbs, a.verb)) return false;
    if ('path' in a) return (r.nonResourceURLs ?? []).some((u) => u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))));
    return has(r.apiGroups, a.group) && has(r.resources, a.resource);
  });
}

/** The RBAC attributes of a GET of `path` (`list` of a collection, `get` of one object or a subresource). */
function attributesOf(path: string): Attributes {
  const m = /^\/api\/v1\/(.+)$/.exec(path) ?? /^\/apis\/([^/]+)\/[^/]+\/(.+)$/.exec(path);
  if (!m) return { verb: 'get', path };
  const group = m[2] === undefined ? '' : m[1]!;
  let parts = (m[2] ?? m[1]!).split('/').filter(Boolean);
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const resource = parts[2] ? `${parts[0]}/${parts[2]}` : parts[0]!;
  return { verb: parts[1] ? 'get' : 'list', group, resource, ...(namespace ? { namespace } : {}) };
}

const GZIP_MIN_BYTES = 128 * 1024;
const SSAR_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const SELF_REVIEW_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
/** Who the token authenticates as (answered to a SelfSubjectReview). */
export const TEST_USER = { username: 'kube-preflight-test', groups: ['system:authenticated', 'preflight-auditors'] };

export class TestApiServer {
  readonly requests: RecordedRequest[] = [];
  readonly token = 'kube-preflight-test-token';
  private readonly faults: Array<{ path: string; fault: Fault; left: number }> = [];
  private readonly expiredContinue = new Map<string, number>();
  private readonly forbidden: Array<{ group: string; resource: string }> = [];
  /** With `grantOnly`: the rules RBAC grants the token's identity. */
  private granted?: PolicyRule[];
  /** Requests `grantOnly`'s rules refused (403). */
  readonly denied: RecordedRequest[] = [];
  private readonly resources: Served[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private server!: Server | HttpServer;
  url = '';
  /** Plain HTTP without authentication, as `kubectl proxy` serves the API. */
  private plainHttp = false;

  private constructor(
    readonly dumpDir: string,
    readonly pki: TestPki,
  ) {
    this.resources = loadResources(dumpDir);
  }

  /**
   * Starts a server for the dump on 127.0.0.1 (a free port). With `plainHttp`, it serves
   * `http://` and needs no token, as `kubectl proxy` does.
   */
  static async start(dumpDir: string, o: { plainHttp?: boolean } = {}): Promise<TestApiServer> {
    const s = new TestApiServer(dumpDir, makeTestPki());
    s.plainHttp = o.plainHttp === true;
    const handler = (req: IncomingMessage, res: ServerResponse): void => s.handle(req, res);
    s.server = s.plainHttp ? createHttpServer(handler) : createServer({ key: s.pki.keyPem, cert: s.pki.certPem }, handler);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.url = `${s.plainHttp ? 'http' : 'https'}://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  get caPem(): string {
    return this.pki.caPem;
  }

  /** Answers requests to `path` (exact, or a prefix when it ends with `*`) with a fault. */
  fault(path: string, fault: Fault): void {
    this.faults.push({ path, fault, left: fault.times ?? Infinity });
  }

  /**
   * Forbids a whole resource, as RBAC without `list` on it would: every request for it
   * (cluster-wide and in any namespace, any version) gets 403, and access reviews for it are
   * denied. `group` is `''` for the core group.
   */
  forbid(group: string, resource: string): void {
    this.forbidden.push({ group, resource });
  }

  /**
   * Authorizes as RBAC would with only `rules` bound to the token's identity, plus what the
   * default bindings give every authenticated user (discovery, `/version`, `/readyz`, …, and
   * SelfSubjectAccessReviews): other requests get 403 and are recorded in `denied`; access
   * reviews are answered from the same rules.
   */
  grantOnly(rules: PolicyRule[]): void {
    this.granted = [...rules, { nonResourceURLs: DEFAULT_URLS, verbs: ['get'] }];
  }

  private isForbidden(path: string): boolean {
    if (this.granted && !rbacAllows(this.granted, attributesOf(path))) return true;
    // As RBAC decides: `/api/v1/namespaces/kube-system/pods` is pods, not namespaces.
    const a = attributesOf(path);
    return !('path' in a) && this.forbidden.some((f) => f.group === a.group && a.resource.split('/')[0] === f.resource);
  }

  /** The next `times` requests carrying a `continue` token for `path` get 410 Gone. */
  expireContinue(path: string, times = 1): void {
    this.expiredContinue.set(path, times);
  }

  reset(): void {
    this.faults.length = 0;
    this.forbidden.length = 0;
    this.granted = undefined;
    this.denied.length = 0;
    this.expiredContinue.clear();
    this.requests.length = 0;
  }

  /** Requests other than GET that reached the server. */
  nonGet(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  /** Requests other than GET, the SelfSubjectAccessReview POSTs of the permission plan and the SelfSubjectReview. */
  writes(): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method !== 'GET' && !(r.method === 'POST' && (r.path === SSAR_PATH || r.path === SELF_REVIEW_PATH)),
    );
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Writes a kubeconfig with contexts `test` (current; this server, its CA and token),
   * `bad-token`, `wrong-ca` (another CA) and `unreachable` (a closed port), returns its path.
   */
  writeKubeconfig(file: string, o: { closedPort?: number } = {}): string {
    const other = makeTestPki('some-other-ca');
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const cluster = (name: string, server: string, ca: string): object => ({
      name,
      cluster: { server, 'certificate-authority-data': b64(ca) },
    });
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'test',
      clusters: [
        cluster('test', this.url, this.caPem),
        cluster('wrong-ca', this.url, other.caPem),
        cluster('unreachable', `https://127.0.0.1:${o.closedPort ?? 9}`, this.caPem),
      ],
      users: [
        { name: 'test', user: { token: this.token } },
        { name: 'bad-token', user: { token: 'not-the-token' } },
      ],
      contexts: [
        { name: 'test', context: { cluster: 'test', user: 'test' } },
        { name: 'bad-token', context: { cluster: 'test', user: 'bad-token' } },
        { name: 'wrong-ca', context: { cluster: 'wrong-ca', user: 'test' } },
        { name: 'unreachable', context: { cluster: 'unreachable', user: 'test' } },
      ],
    };
    writeFileSync(file, stringify(config));
    return file;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const method = req.method ?? 'GET';
    const recorded: RecordedRequest = { method, url: req.url ?? '/', path: url.pathname };
    this.requests.push(recorded);
    const authorized = this.plainHttp || req.headers.authorization === `Bearer ${this.token}`;
    if (method === 'POST' && url.pathname === SSAR_PATH && authorized) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.accessReview(Buffer.concat(chunks).toString('utf8'), res));
      return;
    }
    if (method === 'POST' && url.pathname === SELF_REVIEW_PATH && authorized) {
      req.resume();
      const injected = this.takeFault(url.pathname);
      if (injected?.status) {
        this.status(res, injected.status, 'Injected', `injected HTTP ${injected.status} for ${url.pathname}`);
        return;
      }
      const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: { userInfo: TEST_USER } };
      res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify(review));
      return;
    }
    req.resume();
    const fault = this.takeFault(url.pathname);
    const answer = (): void => {
      if (method !== 'GET') {
        this.status(res, 405, 'MethodNotAllowed', `${method} is not allowed by the test server`);
        return;
      }
      if (!authorized) {
        this.status(res, 401, 'Unauthorized', 'Unauthorized');
        return;
      }
      if (this.isForbidden(url.pathname)) {
        if (this.granted) this.denied.push(recorded);
        this.status(res, 403, 'Forbidden', `${url.pathname} is forbidden to this identity (test server)`);
        return;
      }
      if (fault?.status) {
        if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter));
        this.status(res, fault.status, 'Injected', `injected HTTP ${fault.status} for ${url.pathname}`);
        return;
      }
      this.route(url, req, res);
    };
    if (fault?.delayMs) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (!res.destroyed) answer();
      }, fault.delayMs);
      this.timers.add(t);
    } else answer();
  }

  /**
   * Answers a SelfSubjectAccessReview as RBAC would for this server: denied when a 403 fault is
   * injected on the list path of the resource (or on the non-resource path), allowed otherwise.
   */
  private accessReview(body: string, res: ServerResponse): void {
    const spec =
      (
        JSON.parse(body) as {
          spec?: {
            resourceAttributes?: { verb?: string; group?: string; resource?: string; namespace?: string };
            nonResourceAttributes?: { verb?: string; path?: string };
          };
        }
      ).spec ?? {};
    if (this.granted) {
      const ra = spec.resourceAttributes;
      const na = spec.nonResourceAttributes;
      const a: Attributes = ra
        ? { verb: ra.verb ?? '', group: ra.group ?? '', resource: ra.resource ?? '' }
        : { verb: na?.verb ?? '', path: na?.path ?? '' };
      const allowed = rbacAllows(this.granted, a);
      this.json(res, undefined, 201, {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec,
        status: { allowed, ...(allowed ? {} : { reason: 'no RBAC rule grants it (test server)' }) },
      });
      return;
    }
    const forbidden = this.faults.filter((f) => f.left > 0 && f.fault.status === 403).map((f) => f.path);
    let denied = false;
    if (spec.resourceAttributes) {
      const { group = '', resource = '' } = spec.resourceAttributes;
      denied = this.forbidden.some((f) => (resource === '*' || f.resource === resource) && (group === '*' || f.group === group));
      denied ||= forbidden.some((p) => {
        const parts = p.replace(/\*$/, '').split('/');
        return (
          (resource === '*' || parts[parts.length - 1] === resource) &&
          (group === '*' || (group ? p.startsWith(`/apis/${group}/`) : p.startsWith('/api/')))
        );
      });
    } else if (spec.nonResourceAttributes?.path) {
      denied = forbidden.includes(spec.nonResourceAttributes.path);
    }
    this.json(res, undefined, 201, {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      spec,
      status: { allowed: !denied, ...(denied ? { reason: 'denied by an injected 403' } : {}) },
    });
  }

  private takeFault(path: string): Fault | undefined {
    const f = this.faults.find((x) => x.left > 0 && (x.path.endsWith('*') ? path.startsWith(x.path.slice(0, -1)) : x.path === path));
    if (!f) return undefined;
    f.left--;
    return f.fault;
  }

  private route(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (p === '/version') {
      this.file(res, req, 'version.json', 'application/json', (b) => versionDocument(b));
      return;
    }
    if (p === '/metrics') {
      this.file(res, req, 'metrics/apiserver.txt', 'text/plain; version=0.0.4');
      return;
    }
    if (['/readyz', '/livez', '/healthz', '/readyz/etcd', '/livez/etcd', '/healthz/etcd'].includes(p)) {
      this.send(res, req, 200, url.searchParams.has('verbose') ? '[+]ping ok\n[+]etcd ok\nreadyz check passed\n' : 'ok', 'text/plain');
      return;
    }
    if (p === '/api') {
      this.json(res, req, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }],
      });
      return;
    }
    if (p === '/apis') {
      this.json(res, req, 200, this.groupList());
      return;
    }
    const m = /^\/api\/(v1)(\/.*)?$/.exec(p) ?? /^\/apis\/([^/]+\/[^/]+)(\/.*)?$/.exec(p);
    if (!m) {
      this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
      return;
    }
    const gv = m[1]!;
    const group = gv.includes('/') ? gv.slice(0, gv.indexOf('/')) : '';
    const version = gv.includes('/') ? gv.slice(gv.indexOf('/') + 1) : gv;
    const inGroup = this.resources.filter((r) => r.group === group && r.versions.includes(version));
    const rest = (m[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
    // A group version served only through an APIService of the dump lists no resource here.
    const registered = this.registeredGroupVersions().has(gv);
    if (inGroup.length === 0 && !(registered && rest.length === 0)) {
      this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
      return;
    }
    if (rest.length === 0) {
      this.json(res, req, 200, resourceList(gv, inGroup));
      return;
    }
    let ns: string | undefined;
    let parts = rest;
    if (parts[0] === 'namespaces' && parts.length >= 3) {
      ns = parts[1];
      parts = parts.slice(2);
    }
    const r = inGroup.find((x) => x.resource === parts[0]);
    if (!r || parts.length > 2 || (ns !== undefined && !r.namespaced)) {
      this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
      return;
    }
    const apiVersion = group ? gv : version;
    if (parts.length === 2) {
      const obj = r.objects.find((o) => o.metadata.name === parts[1] && (!r.namespaced || o.metadata.namespace === ns));
      if (!obj) {
        this.status(res, 404, 'NotFound', `${r.resource} "${parts[1]}" not found`);
        return;
      }
      this.json(res, req, 200, { ...obj, apiVersion, kind: r.kind });
      return;
    }
    this.list(url, req, res, r, apiVersion, ns);
  }

  private list(url: URL, req: IncomingMessage, res: ServerResponse, r: Served, apiVersion: string, ns: string | undefined): void {
    const q = url.searchParams;
    // Not copied per page when nothing is selected: a 150,000-pod list is read in 300 pages.
    let items = ns === undefined ? r.objects : r.objects.filter((o) => o.metadata.namespace === ns);
    try {
      const ls = q.get('labelSelector');
      if (ls) {
        const sel = parseLabelSelector(ls);
        items = items.filter((o) => matches(sel, o.metadata.labels));
      }
      const fs = q.get('fieldSelector');
      if (fs) items = items.filter((o) => matchesFieldSelector(fs, o));
    } catch (e) {
      this.status(res, 400, 'BadRequest', (e as Error).message);
      return;
    }
    const cont = q.get('continue');
    let offset = 0;
    if (cont) {
      const left = this.expiredContinue.get(url.pathname) ?? 0;
      if (left > 0) {
        this.expiredContinue.set(url.pathname, left - 1);
        this.status(res, 410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.');
        return;
      }
      offset = Number(JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')).offset);
    }
    const limit = Number(q.get('limit') ?? 0);
    const end = limit > 0 ? Math.min(items.length, offset + limit) : items.length;
    const metadata: Record<string, unknown> = { resourceVersion: '424242' };
    if (end < items.length) {
      metadata.continue = Buffer.from(JSON.stringify({ offset: end })).toString('base64url');
      metadata.remainingItemCount = items.length - end;
    }
    const page = items.slice(offset, end).map((o) => {
      if (r.crd) return { ...o, apiVersion, kind: r.kind };
      const { apiVersion: _a, kind: _k, ...rest } = o;
      return rest;
    });
    this.json(res, req, 200, { kind: `${r.kind}List`, apiVersion, metadata, items: page });
  }

  /**
   * Group versions served: those of the dump's resources (preferred first) and, as a real
   * API server does, every group version an APIService object of the dump registers.
   */
  /** `group/version` of every APIService object in the dump (not the core group). */
  private registeredGroupVersions(): Set<string> {
    const out = new Set<string>();
    for (const o of this.resources.find((r) => r.kind === 'APIService')?.objects ?? []) {
      const spec = o.spec as { group?: string; version?: string } | undefined;
      if (spec?.group && spec.version) out.add(`${spec.group}/${spec.version}`);
    }
    return out;
  }

  private groupList(): object {
    const groups = new Map<string, string[]>();
    const add = (group: string, version: string): void => {
      const vs = groups.get(group) ?? [];
      if (!vs.includes(version)) vs.push(version);
      groups.set(group, vs);
    };
    for (const r of this.resources) {
      if (!r.group) continue;
      for (const v of r.versions) add(r.group, v);
    }
    for (const gv of this.registeredGroupVersions()) add(gv.slice(0, gv.indexOf('/')), gv.slice(gv.indexOf('/') + 1));
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }

  private file(res: ServerResponse, req: IncomingMessage, rel: string, type: string, transform?: (b: Buffer) => Buffer): void {
    const abs = join(this.dumpDir, rel);
    if (!existsSync(abs)) {
      this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
      return;
    }
    const body = readFileSync(abs);
    this.send(res, req, 200, transform ? transform(body) : body, type);
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    this.send(
      res,
      undefined,
      code,
      JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }),
      'application/json',
    );
  }

  private json(res: ServerResponse, req: IncomingMessage | undefined, code: number, body: unknown): void {
    this.send(res, req, code, JSON.stringify(body), 'application/json');
  }

  private send(res: ServerResponse, req: IncomingMessage | undefined, code: number, body: string | Buffer, type: string): void {
    let buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    res.setHeader('Content-Type', type);
    if (req && buf.length > GZIP_MIN_BYTES && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      buf = gzipSync(buf);
      res.setHeader('Content-Encoding', 'gzip');
    }
    res.writeHead(code, { 'Content-Length': buf.length });
    res.end(buf);
  }
}

function versionDocument(b: Buffer): Buffer {
  const doc = JSON.parse(b.toString('utf8')) as Record<string, unknown>;
  return Buffer.from(JSON.stringify(isRecord(doc.serverVersion) ? doc.serverVersion : doc));
}

function resourceList(groupVersion: string, rs: Served[]): object {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: rs.flatMap((r) => [
      {
        name: r.resource,
        singularName: '',
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      },
      { name: `${r.resource}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] },
    ]),
  };
}

/** Every object of the dump's resources/ files, assigned to the resource that serves it. */
function loadResources(dumpDir: string): Served[] {
  const files = listFiles(join(dumpDir, 'resources')).map((f) => `resources/${f}`);
  const objects: KubeObject[] = [];
  const hints = new Set<string>();
  for (const rel of files) {
    const hint = fileHint(rel);
    if (hint) hints.add(hint);
    for (const { obj } of parseObjectsFile(rel, readFileSync(join(dumpDir, rel)), hint)) objects.push(obj);
  }
  const served: Served[] = [];
  const byKind = new Map<string, Served>();
  const add = (s: Omit<Served, 'objects'>): void => {
    const x = { ...s, objects: [] };
    served.push(x);
    byKind.set(`${s.group}/${s.kind}`, x);
  };
  for (const crd of objects.filter((o) => o.kind === 'CustomResourceDefinition')) {
    const spec = isRecord(crd.spec) ? crd.spec : {};
    const names = isRecord(spec.names) ? spec.names : {};
    const versions = (Array.isArray(spec.versions) ? spec.versions : [])
      .filter((v) => isRecord(v) && v.served !== false)
      .map((v) => String((v as { name: unknown }).name));
    add({
      group: String(spec.group),
      versions,
      resource: String(names.plural),
      kind: String(names.kind),
      namespaced: spec.scope === 'Namespaced',
      crd: true,
    });
  }
  const kindsSeen = new Set(objects.map((o) => `${groupOf(o.apiVersion)}/${o.kind}`));
  for (const b of BUILTIN_RESOURCES) {
    const name = b.group ? `${b.resource}.${b.group}` : b.resource;
    if (!byKind.has(`${b.group}/${b.kind}`) && (hints.has(name) || kindsSeen.has(`${b.group}/${b.kind}`))) add({ ...b, crd: false });
  }
  // Where each served object is in its resource's list, by namespace/name: a later copy replaces it.
  const at = new Map<Served, Map<string, number>>();
  const key = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  for (const o of objects) {
    const group = groupOf(o.apiVersion);
    let s = byKind.get(`${group}/${o.kind}`);
    if (!s) {
      const version = o.apiVersion.slice(group ? group.length + 1 : 0);
      add({ group, versions: [version], resource: guessPlural(o.kind), kind: o.kind, namespaced: false, crd: false });
      s = byKind.get(`${group}/${o.kind}`)!;
    }
    if (o.metadata.namespace) s.namespaced = true;
    const index = at.get(s) ?? new Map<string, number>();
    at.set(s, index);
    const i = index.get(key(o));
    if (i !== undefined) s.objects[i] = o;
    else index.set(key(o), s.objects.push(o) - 1);
  }
  for (const s of served) s.objects.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return served;
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) return listFiles(dir, rel);
      return /\.(json|ya?ml)$/i.test(e.name) ? [rel] : [];
    })
    .sort();
}
