/**
 * A source of inputs: an offline dump or a live cluster. Both turn the same input
 * definitions into the same normalized values (DESIGN.md, "Data flow" §1).
 */
import type { Collected, InputStatus } from '../engine/types.js';
import { objectKey, type KubeObject } from '../k8s/objects.js';
import { guessPlural } from '../k8s/resources.js';
import { matches, matchesFieldSelector, parseLabelSelector, type Selector } from '../k8s/selectors.js';
import { InputError, resourceName, type ApiResource, type InputDef, type ResourceInputDef, type Selection } from './input-def.js';
import { redact } from './redact.js';
import type { PermissionPlan } from './live/permissions.js';
import type { ScanOptions } from './scan-options.js';

export interface SourceInfo {
  /** `none`: `--no-cluster`, only files given on the command line. */
  type: 'live' | 'dump' | 'none';
  /** Dump path, or API server URL. */
  location: string;
  /** Kubeconfig context (live), or the one recorded in the dump's metadata.json. */
  context?: string;
  /** API server URL (live, or from metadata.json). */
  server?: string;
  /** When the data was read: metadata.json `collectedAt` for a dump. */
  collectedAt?: string;
  /** SHA-256 of the dump (set by `DumpSource.digest()`). */
  sha256?: string;
  /** Notes about the source a reader of the report should see (e.g. files that could not be read). */
  warnings: string[];
}

/** Progress of input collection, for a spinner on stderr. */
export interface Progress {
  start(key: string): void;
  /** `count` objects or files read so far. */
  update(key: string, count: number): void;
  done(key: string, status: InputStatus): void;
}

export interface Source {
  readonly info: SourceInfo;
  /** Collects the given inputs; never rejects for one input's problem (that input gets a status). */
  load(defs: InputDef[], options: ScanOptions, progress?: Progress): Promise<Map<string, Collected<unknown>>>;
  /** Releases temporary files. */
  close(): Promise<void>;
  /** For a dump: computes `info.sha256` (after `load`, which has already hashed what it read). */
  digest?(): Promise<string>;
  /** For a live cluster: what the identity may not read, asked before `load`. */
  permissionPlan?(defs: InputDef[]): Promise<PermissionPlan>;
}

/** One list request: a resource and a selection (live lists each distinct pair once). */
export interface ListRequest {
  resource: ApiResource;
  select?: Selection;
  /** Inputs fed by this request. */
  defs: ResourceInputDef[];
}

export function selectionKey(s: Selection | undefined): string {
  if (!s) return '';
  return [s.namespace ?? '', s.labelSelector ?? '', s.fieldSelector ?? ''].join('|');
}

/** Groups the resource inputs into distinct list requests. */
export function listRequests(defs: ResourceInputDef[]): ListRequest[] {
  const byKey = new Map<string, ListRequest>();
  for (const def of defs) {
    if (def.everything) continue;
    for (const r of def.resources) {
      const k = `${resourceName(r)}#${selectionKey(def.select)}`;
      const req = byKey.get(k) ?? { resource: r, select: def.select, defs: [] };
      req.defs.push(def);
      byKey.set(k, req);
    }
  }
  return [...byKey.values()];
}

/**
 * Resources an `everything` input never reads, whatever it excludes: events (high-volume,
 * short-lived records that nobody applies from manifests).
 */
export const EVERYTHING_SKIPS: ReadonlySet<string> = new Set(['events', 'events.events.k8s.io']);

/** True when the `everything` input `def` reads the resource `plural[.group]`. */
export function everythingReads(def: ResourceInputDef, name: string): boolean {
  return def.everything !== undefined && !EVERYTHING_SKIPS.has(name) && !def.everything.exclude.includes(name);
}

const STATUS_RANK: Record<InputStatus, number> = { ok: 0, absent: 1, missing: 2, forbidden: 3, failed: 4 };

interface Entry {
  rv?: string;
  value: unknown;
}

interface DefState {
  def: ResourceInputDef;
  labelSelector: Selector | null;
  entries: Map<string, Entry>;
  /** Per resource name: status and reason. */
  statuses: Map<string, { status: InputStatus; reason?: string }>;
  failure?: string;
  sources: Set<string>;
  /** For `everything` inputs: overall status and the parts not read. */
  overall?: { status: InputStatus; reason?: string };
  partial: Array<{ source: string; status: InputStatus; reason: string }>;
}

/**
 * Collects raw objects from any source into normalized resource inputs: redacts, applies the
 * input's selection (for dumps), collapses duplicates (the newer `resourceVersion` wins),
 * normalizes, and sorts by identity so both sources produce identical values.
 */
export class ResourceAccumulator {
  private readonly states: DefState[];
  private readonly byKind = new Map<string, DefState[]>();
  private readonly seenKinds = new Set<string>();
  /** Inputs that read objects of every kind. */
  private readonly wildcard: DefState[];

  constructor(defs: ResourceInputDef[]) {
    this.states = defs.map((def) => ({
      def,
      labelSelector: def.select?.labelSelector ? parseLabelSelector(def.select.labelSelector) : null,
      entries: new Map(),
      statuses: new Map(),
      sources: new Set(),
      partial: [],
    }));
    this.wildcard = this.states.filter((s) => s.def.everything);
    for (const s of this.states) {
      for (const r of s.def.resources) {
        const k = `${r.group}/${r.kind}`;
        const list = this.byKind.get(k) ?? [];
        if (!list.includes(s)) list.push(s);
        this.byKind.set(k, list);
      }
    }
  }

  /** True when some input reads objects of this group and kind. */
  wants(group: string, kind: string): boolean {
    return this.wildcard.length > 0 || this.byKind.has(`${group}/${kind}`);
  }

  /** True when some input reads objects of every kind. */
  get wantsEverything(): boolean {
    return this.wildcard.length > 0;
  }

  /**
   * Adds one raw object. With `request` (live), it feeds only that request's inputs, whose
   * selection the server applied; without (dump), every input of that kind, after applying
   * the input's selection here. Returns false when no input wanted it.
   */
  add(raw: KubeObject, source: string, request?: ListRequest): boolean {
    const group = raw.apiVersion.includes('/') ? raw.apiVersion.slice(0, raw.apiVersion.indexOf('/')) : '';
    const states = request
      ? this.states.filter((s) => request.defs.includes(s.def))
      : [...(this.byKind.get(`${group}/${raw.kind}`) ?? []), ...this.wildcardFor(group, raw.kind)];
    if (states.length === 0) return false;
    this.seenKinds.add(`${group}/${raw.kind}`);
    const obj = redact(raw);
    const key = objectKey(obj);
    for (const s of states) {
      if (s.failure) continue;
      if (!request && !this.selected(s, obj)) continue;
      const prev = s.entries.get(key);
      if (prev && !isNewer(obj.metadata.resourceVersion, prev.rv)) continue;
      try {
        const value = s.def.normalize(obj);
        if (value === undefined) {
          if (prev) s.entries.delete(key);
          continue;
        }
        s.entries.set(key, { rv: obj.metadata.resourceVersion, value });
        s.sources.add(source);
      } catch (e) {
        s.failure = `${source}: ${obj.kind} ${obj.metadata.namespace ? obj.metadata.namespace + '/' : ''}${obj.metadata.name}: ${(e as Error).message}`;
      }
    }
    return true;
  }

  /** The `everything` inputs that read objects of this kind (its plural guessed as Kubernetes does). */
  private wildcardFor(group: string, kind: string): DefState[] {
    if (this.wildcard.length === 0) return this.wildcard;
    const name = group ? `${guessPlural(kind)}.${group}` : guessPlural(kind);
    return this.wildcard.filter((s) => everythingReads(s.def, name));
  }

  private selected(s: DefState, obj: KubeObject): boolean {
    const sel = s.def.select;
    if (!sel) return true;
    if (sel.namespace !== undefined && obj.metadata.namespace !== sel.namespace) return false;
    if (s.labelSelector && !matches(s.labelSelector, obj.metadata.labels)) return false;
    if (sel.fieldSelector && !matchesFieldSelector(sel.fieldSelector, obj)) return false;
    return true;
  }

  /** Records how reading a resource went (ok, absent, forbidden…) for the inputs it feeds. */
  setStatus(resource: ApiResource, status: InputStatus, reason?: string, request?: ListRequest): void {
    const name = resourceName(resource);
    for (const s of this.states) {
      if (!s.def.resources.some((r) => resourceName(r) === name)) continue;
      if (request && !request.defs.includes(s.def)) continue;
      const prev = s.statuses.get(name);
      if (!prev || STATUS_RANK[status] > STATUS_RANK[prev.status]) s.statuses.set(name, { status, reason });
    }
  }

  /**
   * Sets the status of an `everything` input and records the resources or files it could not
   * read (they go to `partial`; they do not change an `ok` status).
   */
  setEverythingStatus(status: InputStatus, reason?: string, partial: DefState['partial'] = []): void {
    for (const s of this.wildcard) {
      s.overall = { status, reason };
      s.partial.push(...partial);
    }
  }

  /** True when an object of this group and kind was read (whether or not an input kept it). */
  sawKind(group: string, kind: string): boolean {
    return this.seenKinds.has(`${group}/${kind}`);
  }

  /** Number of objects an input holds so far (for progress). */
  count(key: string): number {
    return this.states.find((s) => s.def.key === key)?.entries.size ?? 0;
  }

  result(): Map<string, Collected<unknown>> {
    const out = new Map<string, Collected<unknown>>();
    for (const s of this.states) {
      const values = [...s.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e.value);
      let status: InputStatus = s.overall?.status ?? 'ok';
      const reasons: string[] = s.overall?.reason && status !== 'ok' ? [s.overall.reason] : [];
      let allAbsent = s.def.resources.length > 0;
      const absentReasons: string[] = [];
      for (const r of s.def.resources) {
        const st = s.statuses.get(resourceName(r)) ?? { status: 'missing' as const, reason: `${resourceName(r)} was not read` };
        if (st.status !== 'absent') allAbsent = false;
        else absentReasons.push(st.reason ?? `${resourceName(r)} is not served by the cluster`);
        if (st.status !== 'ok' && st.status !== 'absent') {
          if (STATUS_RANK[st.status] > STATUS_RANK[status]) status = st.status;
          if (st.reason) reasons.push(st.reason);
        }
      }
      if (s.failure) {
        status = 'failed';
        reasons.unshift(s.failure);
      }
      const c: Collected<unknown> = { key: s.def.key, status: status === 'ok' && allAbsent ? 'absent' : status, count: values.length, sources: [...s.sources].sort() };
      if (c.status === 'ok' || c.status === 'absent') c.value = values;
      if (c.status === 'absent') c.reason = absentReasons.join('; ');
      if (reasons.length > 0) c.reason = reasons.join('; ');
      if (s.partial.length > 0) c.partial = [...s.partial].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)).map((p) => ({ ...p, subjects: p.source, resource: { kind: 'Resource', name: p.source } }));
      out.set(s.def.key, c);
    }
    return out;
  }
}

function isNewer(rv: string | undefined, prev: string | undefined): boolean {
  if (rv === undefined || prev === undefined) return false;
  if (/^\d+$/.test(rv) && /^\d+$/.test(prev)) return BigInt(rv) > BigInt(prev);
  return false;
}

/** Wraps a file input's parse, turning its exceptions into an input status. */
export function collectedFromError(key: string, e: unknown): Collected<unknown> {
  if (e instanceof InputError) return { key, status: e.status, reason: e.message };
  return { key, status: 'failed', reason: (e as Error).message ?? String(e) };
}
