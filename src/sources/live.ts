/**
 * The live source: reads a cluster through its API server with the kubeconfig's credentials,
 * GET requests only (docs/architecture.md, "Data flow"). Parts:
 * `live/kubeconfig.ts` (file and context selection), `live/http.ts` (the single GET path:
 * read-only guard, timeout, retries), `live/discovery.ts` (which version to list),
 * `live/list.ts` (paging).
 *
 * What a scan sends: `GET /version` when opening (`live/connect.ts`, which the CLI loads and
 * starts before this module) (reachability, and the TLS chain for
 * `peerCertificates`); for resource inputs `GET /api`, `GET /apis`, then `/api/v1` and
 * `/apis/<group>/<version>` for the groups the inputs read (every group-version when an input
 * reads everything); then one paged LIST (`limit=500`, `continue`) per distinct
 * resource and selection — a selection of a resource that is also listed whole is read from
 * the whole list, and sent only when that list fails — a few at a time, each page requested
 * as soon as the previous one's `continue` token is read; and the GETs of file inputs' `live` functions (`/metrics`,
 * `/readyz?verbose`, …), except that `/version` and the discovery documents already fetched
 * are not sent again.
 *
 * A server that answers `GET /api` with 404 is not a Kubernetes API server: `FatalError`.
 * Statuses: a resource the server does not serve is `absent`; 403 → `forbidden`;
 * 404 → `absent`; anything else that is not 200 after retries, or a transport error → `failed`.
 * An `everything` input lists every listable resource discovery reports except its
 * `exclude`s and `EVERYTHING_SKIPS` (events); what it could not read goes to its `partial`.
 */
import type { Collected, InputPart, InputStatus, ApiResource } from '../contract/inputs.js';
import { BUILTIN_RESOURCE_NAMES } from '../k8s/resources.js';
import type { KubeObject } from '../k8s/objects.js';
import { parseFetched } from './file-inputs.js';
import { apiVersionOf, resourceName, type FileFetch, type FileInputDef, type InputDef, type ResourceInputDef } from './input-def.js';
import type { LiveContext } from './live-context.js';
import { connect, LIST_CONCURRENCY, type Connection, type LiveTuning } from './live/connect.js';
import { Discovery, isDiscoveryPath, type ServedResource } from './live/discovery.js';
import type { ApiHttp } from './live/http.js';
import { listPaged, listPath, PAGE_LIMIT } from './live/list.js';
import { runPool } from './live/pool.js';
import { permissionPlan, type PermissionPlan } from './live/permissions.js';
import { whoAmI } from './live/identity.js';
import type { ScanOptions } from './scan-options.js';
import { everythingReads } from './everything.js';
import {
  collectedFromError,
  listRequests,
  namedPart,
  ResourceAccumulator,
  type ListRequest,
  type Progress,
  type Source,
  type SourceInfo,
} from './source.js';

export { LIST_CONCURRENCY, type LiveTuning } from './live/connect.js';

/** Receives what a live read produced, to write it as a dump (`collect`). */
export interface LiveSink {
  /** One page of a resource's list (`plural[.group]`), items with kind and apiVersion, not yet redacted. */
  page(resource: string, items: KubeObject[]): Promise<void>;
  /**
   * How listing a resource went (once per list request; a resource may be listed with several
   * selections). `type`: the resource's `apiVersion` and `kind`, when known (not for a
   * group-version whose discovery failed).
   */
  status(resource: string, status: InputStatus, reason?: string, type?: { apiVersion: string; kind: string }): void;
  /** What a file input fetched, and what parsing it gave. */
  files(def: FileInputDef, fetched: FileFetch, result: Collected<unknown>): Promise<void>;
}

interface Task {
  request: ListRequest;
  /** Known from discovery already (resources found for `everything` inputs). */
  served?: ServedResource;
  /** Feeds an `everything` input: a failure goes to its `partial`. */
  everything: boolean;
  /**
   * Selected lists of the same resource, read from this unselected one (their selection
   * applied here, as on a dump) instead of being sent; each is sent on its own only when this
   * list does not succeed.
   */
  riders: Task[];
}

export class LiveSource implements Source {
  readonly info: SourceInfo;
  /** What file inputs' `live` functions use. */
  readonly context: LiveContext;
  /** Discovery documents, fetched once for the permission plan and the reads. */
  private readonly discovery: Discovery;
  /** The HTTP client: `http.sent` counts requests. */
  readonly http: ApiHttp;

  private constructor(
    { conn, http, peer, version }: Connection,
    options: ScanOptions,
    private readonly tuning: LiveTuning,
  ) {
    this.http = http;
    this.info = { type: 'live', location: conn.server, context: conn.context, server: conn.server, warnings: [] };
    this.discovery = new Discovery(http);
    this.context = {
      server: conn.server,
      kubeconfigPath: conn.kubeconfigPath,
      kubeconfigFiles: conn.files,
      context: conn.context,
      options,
      // `GET /version` (sent by `connect`) and the discovery documents are not sent twice.
      get: async (path, o) => {
        const accept = o?.accept;
        const json = accept === undefined || accept === 'application/json';
        let r = json && path === '/version' ? version : undefined;
        r ??= await (json && isDiscoveryPath(path) ? this.discovery.document(path) : http.get(path, { accept }));
        return { status: r.status, headers: r.headers, body: r.body };
      },
      peerCertificates: async () => peer,
    };
  }

  /**
   * Connects (`live/connect.ts`: kubeconfig, context, `GET /version`) and opens the source.
   * Throws `FatalError` as `connect` does.
   */
  static async open(options: ScanOptions, tuning: LiveTuning = {}): Promise<LiveSource> {
    return LiveSource.connected(await connect(options, tuning), options, tuning);
  }

  /** The source over a connection `connect` made (with the same `options` and `tuning`). */
  static connected(connection: Connection, options: ScanOptions, tuning: LiveTuning = {}): LiveSource {
    return new LiveSource(connection, options, tuning);
  }

  /**
   * Asks for the discovery documents every scan reads — `GET /api`, `GET /apis` and the core
   * group-version (`/api/v1`: the report's `namespaces` input is listed through it) — without
   * waiting for them, so that they arrive while the caller loads its checks. What fails is
   * reported by the read that needs it, as without prefetching.
   */
  prefetchDiscovery(): void {
    const core = this.discovery.groups().then((g) => {
      const version = g.ok ? g.value.get('')?.[0] : undefined;
      return version === undefined ? undefined : this.discovery.resources('', version);
    });
    core.catch(() => undefined);
  }

  /** Collects the inputs, and asks who the scan runs as (`live/identity.ts`) beside them. */
  async load(defs: InputDef[], options: ScanOptions, progress?: Progress): Promise<Map<string, Collected<unknown>>> {
    const [who, inputs] = await Promise.all([whoAmI(this.http), this.read(defs, options, progress)]);
    if ('user' in who) this.info.user = who.user;
    else this.info.userError = who.error;
    return inputs;
  }

  /**
   * Collects the inputs; with a `sink`, also hands it every page and fetched file (collect).
   * Rejects only when the sink does.
   */
  async read(defs: InputDef[], options: ScanOptions, progress?: Progress, sink?: LiveSink): Promise<Map<string, Collected<unknown>>> {
    const resourceDefs = defs.filter((d): d is ResourceInputDef => d.type === 'resources');
    const fileDefs = defs.filter((d): d is FileInputDef => d.type === 'files');
    const out = new Map<string, Collected<unknown>>();
    const acc = new ResourceAccumulator(resourceDefs);
    const discovery = this.discovery;
    const partial: InputPart[] = [];
    for (const d of resourceDefs) progress?.start(d.key);

    const tasks: Array<() => Promise<void>> = [];
    const everythingDefs = resourceDefs.filter((d) => d.everything);
    const listTasks: Task[] = listRequests(resourceDefs).map((request) => ({ request, everything: false, riders: [] }));
    let everythingFailure: { status: InputStatus; reason: string } | undefined;
    if (everythingDefs.length > 0) {
      const all = await discovery.listable();
      if (!all.ok) everythingFailure = { status: all.status, reason: `discovery failed: ${all.reason}` };
      else {
        partial.push(...all.value.failures.map((f) => namedPart(f.source, f.status, f.reason)));
        for (const f of all.value.failures) sink?.status(f.source, f.status, f.reason);
        for (const served of all.value.resources) this.addEverythingTask(listTasks, everythingDefs, served);
      }
    }

    // Progress: an input is done when the last list feeding it is (a failed part of an
    // `everything` input does not make it unavailable).
    const pending = new Map<string, { left: number; status: InputStatus }>();
    for (const t of listTasks)
      for (const d of t.request.defs) pending.set(d.key, { left: (pending.get(d.key)?.left ?? 0) + 1, status: 'ok' });
    const record = (t: Task, status: InputStatus, reason?: string): void => {
      const r = t.request.resource;
      const name = resourceName(r);
      const type = { apiVersion: apiVersionOf(r), kind: r.kind };
      acc.setStatus(r, status, reason, t.request);
      sink?.status(name, status, reason, type);
      if (t.everything && status !== 'ok' && status !== 'absent') partial.push(namedPart(name, status, reason ?? status, type));
      for (const d of t.request.defs) {
        const p = pending.get(d.key)!;
        if (!d.everything && status !== 'ok' && status !== 'absent') p.status = status;
        if (--p.left === 0) progress?.done(d.key, p.status);
      }
    };
    const list = async (t: Task): Promise<void> => {
      const r = t.request.resource;
      const name = resourceName(r);
      const resolved = t.served ? { status: 'ok' as const, version: t.served.version } : await discovery.resolve(r);
      if (resolved.status !== 'ok') {
        for (const x of [t, ...t.riders]) record(x, resolved.status, resolved.reason);
        return;
      }
      const target = { ...r, version: resolved.version, select: t.request.select };
      const label = listPath(target);
      const defs = [t, ...t.riders].flatMap((x) => x.request.defs);
      const outcome = await listPaged(
        this.http,
        target,
        async (items) => {
          // With riders, the accumulator applies each input's selection, as it does on a dump.
          for (const item of items) acc.add(item, label, t.riders.length === 0 ? t.request : undefined);
          for (const d of defs) progress?.update(d.key, acc.count(d.key));
          await sink?.page(name, items);
        },
        this.tuning.pageLimit ?? PAGE_LIMIT,
      );
      record(t, outcome.status, outcome.reason);
      for (const x of t.riders) {
        if (outcome.status === 'ok') record(x, 'ok');
        else await list(x);
      }
    };
    for (const t of rideAlong(listTasks, everythingFailure === undefined)) tasks.push(() => list(t));
    for (const def of fileDefs) {
      tasks.push(async () => {
        progress?.start(def.key);
        const fetched = await this.fetchFiles(def, options);
        const c = parseFetched(def, fetched);
        await sink?.files(def, fetched, c);
        out.set(def.key, c);
        progress?.done(def.key, c.status);
      });
    }
    await runPool(tasks, this.tuning.concurrency ?? LIST_CONCURRENCY);

    if (everythingDefs.length > 0) {
      if (everythingFailure) acc.setEverythingStatus(everythingFailure.status, everythingFailure.reason);
      else acc.setEverythingStatus('ok', undefined, partial);
    }
    for (const [k, c] of acc.result()) {
      out.set(k, c);
      if (!pending.has(k)) progress?.done(k, c.status);
    }
    return out;
  }

  /** Lists `served` for the `everything` inputs that do not exclude it, sharing an unselected list of it when there is one. */
  private addEverythingTask(tasks: Task[], everythingDefs: ResourceInputDef[], served: ServedResource): void {
    const name = served.group ? `${served.resource}.${served.group}` : served.resource;
    const defs = everythingDefs.filter((d) => everythingReads(d, name));
    if (defs.length === 0) return;
    const shared = tasks.find((t) => !t.request.select && resourceName(t.request.resource) === name);
    if (shared) {
      shared.request.defs.push(...defs);
      shared.everything = true;
      return;
    }
    const resource: ApiResource = {
      group: served.group,
      versions: [served.version],
      resource: served.resource,
      kind: served.kind,
      namespaced: served.namespaced,
      crd: !BUILTIN_RESOURCE_NAMES.has(name),
    };
    tasks.push({ request: { resource, defs }, served, everything: true, riders: [] });
  }

  /** A file input's files: its command-line option first, else its live fetch. Never rejects. */
  private async fetchFiles(def: FileInputDef, options: ScanOptions): Promise<FileFetch> {
    try {
      const fromOptions = def.fromOptions ? await def.fromOptions(options) : undefined;
      if (fromOptions) return fromOptions;
      if (def.live) return await def.live(this.context);
      return {
        status: 'missing',
        reason:
          `not readable through the Kubernetes API: only in a dump ` +
          `(${def.files.join(', ')})${def.fromOptions ? ' or from its command-line option' : ''}`,
      };
    } catch (e) {
      const c = collectedFromError(def.key, e);
      return { status: c.status === 'ok' ? 'failed' : c.status, reason: c.reason ?? 'failed' };
    }
  }

  /**
   * What the identity may not read, asked before reading (see `live/permissions.ts`), for the
   * resources discovery reports as served. Rejects with `FatalError` when `GET /api` is 404.
   */
  permissionPlan(defs: InputDef[]): Promise<PermissionPlan> {
    return permissionPlan(this.http, defs, this.tuning.concurrency ?? LIST_CONCURRENCY, this.discovery);
  }

  async close(): Promise<void> {
    this.http.close();
  }
}

/**
 * The tasks to send: a selected list of a resource that is also listed unselected becomes a
 * rider of that list (its objects are a subset of it) — unless `allowed` is false (an
 * `everything` input whose discovery failed would then be fed objects it does not list).
 */
function rideAlong(tasks: Task[], allowed: boolean): Task[] {
  if (!allowed) return tasks;
  const unselected = new Map<string, Task>();
  for (const t of tasks) if (!t.request.select) unselected.set(resourceName(t.request.resource), t);
  return tasks.filter((t) => {
    const whole = t.request.select ? unselected.get(resourceName(t.request.resource)) : undefined;
    whole?.riders.push(t);
    return whole === undefined;
  });
}
