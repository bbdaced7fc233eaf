/**
 * A source of inputs: an offline dump or a live cluster. Both turn the same input
 * definitions into the same normalized values (docs/architecture.md, "Inputs and their statuses").
 */
import type { Collected, InputPart, InputStatus, ApiResource } from '../contract/inputs.js';
import { InternalError, isBug } from '../contract/errors.js';
import type { KubeObject } from '../k8s/objects.js';
import { guessPlural, kindPlural, knownResource, type KnownResource } from '../k8s/resources.js';
import { matches, matchesFieldSelector, parseLabelSelector } from '../k8s/selectors.js';
import type { Selector } from '../contract/values/selectors.js';
import type { DumpFormat, ScanUser } from '../contract/report.js';
import { everythingReads } from './everything.js';
import { InputError, resourceName, resourcePart, type InputDef, type ResourceInputDef, type Selection } from './input-def.js';
import { redact, redactWithoutReleases } from './redact.js';
import { isObjectMeta, objectMeta, readAs, z } from './schema.js';

const withMeta = z.object({ metadata: objectMeta });
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
  /** Layout of a dump written by another tool (`formats.ts`); unset for kube-preflight's own. */
  format?: DumpFormat;
  /** When the data was read: metadata.json `collectedAt` for a dump. */
  collectedAt?: string;
  /** Who or what wrote a dump: its metadata.json `collectedBy` (free text). */
  collectedBy?: string;
  /** SHA-256 of the dump (set by `DumpSource.digest()`). */
  sha256?: string;
  /** Live: the authenticated user (`SelfSubjectReview`), set by `load`. */
  user?: ScanUser;
  /** Live: why `user` is not known. */
  userError?: string;
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

const STATUS_RANK: Record<InputStatus, number> = { ok: 0, absent: 1, missing: 2, forbidden: 3, failed: 4 };

interface Entry {
  rv?: string;
  value: unknown;
}

interface DefState {
  def: ResourceInputDef;
  entries: Map<string, Entry>;
  /** Objects whose `normalize` threw an `InputError` (bad data), by identity: the newest version read, as a part. */
  failed: Map<string, { rv?: string; part: InputPart }>;
  /**
   * The first bug `normalize` threw (not a `ToolError`), by the object's identity (the least
   * identity, so dump and live report the same one): the input is then `failed` as a whole,
   * with this `InternalError` message.
   */
  internal?: { key: string; message: string };
  /** Per resource name: status and reason. */
  statuses: Map<string, { status: InputStatus; reason?: string }>;
  sources: Set<string>;
  /** For `everything` inputs: overall status and the parts not read. */
  overall?: { status: InputStatus; reason?: string };
  partial: InputPart[];
}

/**
 * What reading one object gave one input (`s`: the input's position in the definitions):
 * `meta`, its metadata is malformed (`part`); `value`, `normalize` returned a value; `drop`, it
 * returned `undefined`; `failed`, it threw an `InputError` (`part`); `bug`, it threw anything
 * else (`message`, the `InternalError`'s). Plain data: it crosses from a loading thread.
 */
export type Outcome =
  | { t: 'meta'; s: number; part: InputPart }
  | { t: 'value'; s: number; value: unknown }
  | { t: 'drop'; s: number }
  | { t: 'failed'; s: number; part: InputPart }
  | { t: 'bug'; s: number; message: string };

/** One object read, normalized for every input that selects it (`ObjectNormalizer.normalize`). */
export interface NormalizedObject {
  /** `group/kind`. */
  kindKey: string;
  /** Identity: `group/kind/namespace/name`. */
  key: string;
  /** `metadata.resourceVersion`, unless the metadata is malformed. */
  rv?: string;
  /** The file (or request) it was read from. */
  source: string;
  outcomes: Outcome[];
}

/**
 * The part an `everything` input could not read, known by its name: `plural[.group]` (its
 * kind from `type`, else from the built-in table; else `{ kind: 'APIResource', name }`), or a
 * group-version whose discovery failed (`metrics.k8s.io/v1beta1`: every resource of it).
 */
export function namedPart(name: string, status: Exclude<InputStatus, 'ok' | 'absent'>, reason: string, type?: KnownResource): InputPart {
  const t = type ?? knownResource(name);
  if (t)
    return { source: name, status, reason, subjects: kindPlural(t.kind), resource: { apiVersion: t.apiVersion, kind: t.kind, name: '*' } };
  if (name.includes('/') || /^v\d/.test(name))
    return { source: name, status, reason, subjects: `every resource of ${name}`, resource: { apiVersion: name, kind: '*', name: '*' } };
  return { source: name, status, reason, subjects: `objects of ${name}`, resource: { kind: 'APIResource', name } };
}

const bySource = (a: InputPart, b: InputPart): number => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0);

/**
 * The part of reading an object that needs nothing read before it: selects the inputs that
 * read it (applying their selection, for dumps), validates its metadata, redacts and
 * normalizes it, and says per input what came of it (`NormalizedObject`). It runs on a
 * loading thread (`load-worker.ts`) or on the main thread; `ResourceAccumulator.merge` then
 * keeps, in the order objects were read, what each input holds.
 */
export class ObjectNormalizer {
  private readonly selectors: Array<Selector | null>;
  private readonly byKind = new Map<string, number[]>();
  /** `statesFor`, by `group/kind`. */
  private readonly forKind = new Map<string, number[]>();
  /** Inputs (positions) that read objects of every kind. */
  readonly wildcard: number[];

  constructor(readonly defs: ResourceInputDef[]) {
    this.selectors = defs.map((def) => (def.select?.labelSelector ? parseLabelSelector(def.select.labelSelector) : null));
    this.wildcard = defs.flatMap((d, i) => (d.everything ? [i] : []));
    defs.forEach((def, i) => {
      for (const r of def.resources) {
        const k = `${r.group}/${r.kind}`;
        const list = this.byKind.get(k) ?? [];
        if (!list.includes(i)) list.push(i);
        this.byKind.set(k, list);
      }
    });
  }

  /** True when some input reads objects of this group and kind. */
  wants(group: string, kind: string): boolean {
    return this.wildcard.length > 0 || this.byKind.has(`${group}/${kind}`);
  }

  /**
   * Reads one raw object for the inputs that select it (see `ResourceAccumulator.add`);
   * undefined when no input reads its kind. `request` (live) restricts it to the inputs of
   * that request, whose selection the server applied.
   */
  normalize(raw: KubeObject, source: string, request?: ListRequest, index?: number): NormalizedObject | undefined {
    const slash = raw.apiVersion.indexOf('/');
    const group = slash < 0 ? '' : raw.apiVersion.slice(0, slash);
    const kindKey = `${group}/${raw.kind}`;
    const states = request ? this.defs.flatMap((d, i) => (request.defs.includes(d) ? [i] : [])) : this.statesFor(kindKey, group, raw.kind);
    if (states.length === 0) return undefined;
    const key = `${kindKey}/${raw.metadata.namespace ?? ''}/${raw.metadata.name ?? ''}`;
    const metaError = metadataError(raw);
    const rv = metaError === undefined ? raw.metadata.resourceVersion : undefined;
    const outcomes: Outcome[] = [];
    let light: KubeObject | undefined;
    let full: KubeObject | undefined;
    const mayHoldSecrets = raw.kind === 'Secret' || raw.kind === 'ConfigMap';
    for (const s of states) {
      const def = this.defs[s]!;
      if (metaError !== undefined) {
        // Labels and fields cannot be trusted: only a namespace that is a string can exclude it.
        const ns = def.select?.namespace;
        if (!request && ns !== undefined && typeof raw.metadata.namespace === 'string' && raw.metadata.namespace !== ns) continue;
        outcomes.push({ t: 'meta', s, part: objectPart(raw, source, metaError, index) });
        continue;
      }
      if (!request && !this.selected(s, raw, () => (mayHoldSecrets ? (light ??= redactWithoutReleases(raw)) : raw))) continue;
      const obj = !mayHoldSecrets ? raw : def.readsHelmReleases ? (full ??= redact(raw)) : (light ??= redactWithoutReleases(raw));
      let value: unknown;
      try {
        value = def.normalize(obj);
      } catch (e) {
        if (isBug(e))
          outcomes.push({
            t: 'bug',
            s,
            message: new InternalError(`the normalizer of input ${def.key} (${objectWhere(obj, source, index)})`, e).message,
          });
        else outcomes.push({ t: 'failed', s, part: objectPart(obj, source, e, index) });
        continue;
      }
      outcomes.push(value === undefined ? { t: 'drop', s } : { t: 'value', s, value });
    }
    return { kindKey, key, ...(rv !== undefined ? { rv } : {}), source, outcomes };
  }

  /**
   * The inputs reading objects of this group and kind (`kindKey` is `group/kind`): those that
   * list its resource, then the `everything` inputs that read it (its plural guessed as
   * Kubernetes does). Computed once per kind.
   */
  private statesFor(kindKey: string, group: string, kind: string): number[] {
    let states = this.forKind.get(kindKey);
    if (states === undefined) {
      const name = group ? `${guessPlural(kind)}.${group}` : guessPlural(kind);
      states = [...(this.byKind.get(kindKey) ?? []), ...this.wildcard.filter((s) => everythingReads(this.defs[s]!, name))];
      this.forKind.set(kindKey, states);
    }
    return states;
  }

  /** True when input `s`'s selection keeps `obj`; `redacted()` is the object a field selector reads. */
  private selected(s: number, obj: KubeObject, redacted: () => KubeObject): boolean {
    const sel = this.defs[s]!.select;
    if (!sel) return true;
    const labelSelector = this.selectors[s];
    if (sel.namespace !== undefined && obj.metadata.namespace !== sel.namespace) return false;
    if (labelSelector && !matches(labelSelector, obj.metadata.labels)) return false;
    if (sel.fieldSelector && !matchesFieldSelector(sel.fieldSelector, redacted())) return false;
    return true;
  }
}

/**
 * Collects raw objects from any source into normalized resource inputs: applies the input's
 * selection (for dumps), collapses duplicates (the newer `resourceVersion` wins), redacts what
 * is kept, normalizes, and sorts by identity so both sources produce identical values.
 */
export class ResourceAccumulator {
  private readonly states: DefState[];
  private readonly seenKinds = new Set<string>();
  /** The part of `add` that reads one object on its own. */
  readonly normalizer: ObjectNormalizer;

  constructor(defs: ResourceInputDef[]) {
    this.normalizer = new ObjectNormalizer(defs);
    this.states = defs.map((def) => ({
      def,
      entries: new Map(),
      failed: new Map(),
      statuses: new Map(),
      sources: new Set(),
      partial: [],
    }));
  }

  /** True when some input reads objects of this group and kind. */
  wants(group: string, kind: string): boolean {
    return this.normalizer.wants(group, kind);
  }

  /** True when some input reads objects of every kind. */
  get wantsEverything(): boolean {
    return this.normalizer.wildcard.length > 0;
  }

  /**
   * Adds one raw object. With `request` (live), it feeds only that request's inputs, whose
   * selection the server applied; without (dump), every input of that kind, after applying
   * the input's selection here. Returns false when no input wanted it.
   *
   * `index`: the object's position in its file (0-based, counting every object of every
   * document in order: `.items[index]` of a single List), named in the reason of an object
   * that cannot be read. Its `metadata` is validated here, once, for every input (`objectMeta`);
   * `null` metadata fields are read as absent.
   *
   * A Secret or ConfigMap is redacted before any input reads it, and a Helm release payload is
   * decoded only for an input that `readsHelmReleases`. A field selector on a Secret or
   * ConfigMap is matched on the redacted object, so no secret value decides a selection.
   * Same as `merge(normalizer.normalize(…))`.
   */
  add(raw: KubeObject, source: string, request?: ListRequest, index?: number): boolean {
    const n = this.normalizer.normalize(raw, source, request, index);
    if (n === undefined) return false;
    this.merge(n);
    return true;
  }

  /**
   * Keeps what one object gave each input, objects taken in the order they were read: an
   * object replaces the one of the same identity an input holds only when its
   * `resourceVersion` is newer (a malformed one always does); a bug in a normalizer is kept
   * for the least identity. `intern` (see `ResourceInputDef.intern`) is given the values of
   * inputs that share their parts, with `memo` (objects already interned, kept by the caller
   * for one batch of objects that crossed from a loading thread together).
   */
  merge(n: NormalizedObject, memo?: Map<unknown, unknown>): void {
    this.seenKinds.add(n.kindKey);
    const { key, rv, source } = n;
    for (const o of n.outcomes) {
      const s = this.states[o.s]!;
      if (o.t === 'meta') {
        s.entries.delete(key);
        s.failed.set(key, { part: o.part });
        continue;
      }
      const prev = s.entries.get(key) ?? s.failed.get(key);
      if (prev && !isNewer(rv, prev.rv)) continue;
      s.entries.delete(key);
      s.failed.delete(key);
      if (o.t === 'bug') {
        if (s.internal === undefined || key < s.internal.key) s.internal = { key, message: o.message };
      } else if (o.t === 'failed') {
        s.failed.set(key, { rv, part: o.part });
      } else if (o.t === 'value') {
        s.entries.set(key, { rv, value: memo && s.def.intern ? s.def.intern(o.value, memo) : o.value });
        s.sources.add(source);
      }
    }
  }

  /**
   * Records a part of the resource `plural[.group]` (as a file is named) that could not be
   * read, for the inputs reading that resource whose namespace selection `namespace` (that of
   * the object that stood where one of the resource was expected, when a string) does not
   * exclude.
   */
  addUnreadPart(name: string, namespace: string | undefined, part: InputPart): void {
    for (const s of this.states) {
      if (!s.def.resources.some((r) => resourceName(r) === name || r.resource === name)) continue;
      const ns = s.def.select?.namespace;
      if (ns !== undefined && namespace !== undefined && namespace !== ns) continue;
      s.partial.push(part);
    }
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
  setEverythingStatus(status: InputStatus, reason?: string, partial: InputPart[] = []): void {
    for (const s of this.states) {
      if (!s.def.everything) continue;
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

  /**
   * The inputs, judged by part (docs/architecture.md, "Partial inputs and unknowns"). For a resource input, each
   * resource is a part (ok, absent, missing, forbidden, failed): every part absent → `absent`
   * (empty value); some part ok or absent → `ok`, with every object read; no part readable →
   * the worst status, reasons joined. In all cases `partial` lists each unread resource and each
   * object whose `normalize` threw an `InputError` (dropped; the input keeps the others). An
   * `everything` input takes the status `setEverythingStatus` gave it. A bug in `normalize`
   * (any error but a `ToolError`) makes the input `failed`, its reason the `InternalError`'s
   * message (`internal error (KP_INTERNAL) in the normalizer of input pdbs (…): …`), as a
   * crashing check is an `error`: no value of a normalizer that crashed is trusted.
   */
  result(): Map<string, Collected<unknown>> {
    const out = new Map<string, Collected<unknown>>();
    for (const s of this.states) {
      const values = [...s.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e.value);
      const partial = [...s.partial, ...[...s.failed.values()].map((f) => f.part)];
      let status: InputStatus = s.overall?.status ?? 'ok';
      const reasons: string[] = s.overall?.reason && status !== 'ok' ? [s.overall.reason] : [];
      if (!s.def.everything) {
        const parts = s.def.resources.map((r) => ({
          r,
          ...(s.statuses.get(resourceName(r)) ?? { status: 'missing' as const, reason: `${resourceName(r)} was not read` }),
        }));
        const unread = parts.filter((p) => p.status !== 'ok' && p.status !== 'absent');
        for (const p of unread) {
          const reason = p.reason ?? `${resourceName(p.r)}: ${p.status}`;
          partial.push(resourcePart(p.r, p.status as Exclude<InputStatus, 'ok' | 'absent'>, reason, s.def.select));
        }
        if (parts.length > 0 && parts.every((p) => p.status === 'absent')) {
          status = 'absent';
          reasons.push(...parts.map((p) => p.reason ?? `${resourceName(p.r)} is not served by the cluster`));
        } else if (unread.length === parts.length && parts.length > 0) {
          status = unread.reduce<InputStatus>((w, p) => (STATUS_RANK[p.status] > STATUS_RANK[w] ? p.status : w), 'ok');
          reasons.push(...unread.map((p) => p.reason ?? `${resourceName(p.r)}: ${p.status}`));
        }
      }
      const [key, count, sources] = [s.def.key, values.length, [...s.sources].sort()];
      if (s.internal) {
        status = 'failed';
        reasons.unshift(s.internal.message);
      }
      const reason = reasons.length > 0 ? reasons.join('; ') : undefined;
      const c: Collected<unknown> =
        status === 'ok' || status === 'absent'
          ? { key, status, count, sources, value: values, ...(reason !== undefined ? { reason } : {}) }
          : { key, status, count, sources, reason: reason ?? `${key}: ${status}` };
      if (partial.length > 0) c.partial = partial.sort(bySource);
      out.set(s.def.key, c);
    }
    return out;
  }
}

/**
 * The part one object whose `normalize` threw an `InputError` (or whose metadata is malformed) is: `source`
 * is `file#Kind namespace/name`, `resource` the object itself, `subjects` `Kind namespace/name`.
 * `reason` names where it was read and the error: `resources/pdbs.json item 2
 * .spec.selector: expected an object, got a string` (`index` 0-based, see `add`); without an
 * index (a live list), the object: `GET /apis/… PodDisruptionBudget prod/web .spec.selector: …`.
 */
function objectPart(obj: KubeObject, file: string, e: unknown, index?: number): InputPart {
  const ns = typeof obj.metadata.namespace === 'string' ? obj.metadata.namespace : undefined;
  const name = obj.metadata.name ?? '';
  const subjects = subjectsOf(obj);
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  const where = objectWhere(obj, file, index);
  return {
    source: `${file}#${subjects}`,
    status: 'failed',
    reason: `${where}${message.startsWith('.') ? ' ' : ': '}${message}`,
    subjects,
    resource: { apiVersion: obj.apiVersion, kind: obj.kind, ...(ns ? { namespace: ns } : {}), name },
  };
}

/** `Kind namespace/name` of an object. */
function subjectsOf(obj: KubeObject): string {
  const ns = typeof obj.metadata.namespace === 'string' ? obj.metadata.namespace : undefined;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata.name ?? ''}`;
}

/** Where an object was read: `file item <index>` (0-based, see `add`), else `file Kind namespace/name`. */
function objectWhere(obj: KubeObject, file: string, index?: number): string {
  return index !== undefined ? `${file} item ${index}` : `${file} ${subjectsOf(obj)}`;
}

/**
 * Why an object's metadata does not pass `objectMeta` (an `InputError`), or undefined when it
 * does; then its `null` fields are removed (read as absent).
 */
function metadataError(obj: KubeObject): unknown {
  if (!isObjectMeta(obj.metadata)) {
    try {
      readAs(withMeta, obj);
    } catch (e) {
      return e;
    }
  }
  const md = obj.metadata as Record<string, unknown>;
  for (const k in md) if (md[k] === null) Reflect.deleteProperty(md, k);
  return undefined;
}

function isNewer(rv: string | undefined, prev: string | undefined): boolean {
  if (rv === undefined || prev === undefined) return false;
  if (/^\d+$/.test(rv) && /^\d+$/.test(prev)) return BigInt(rv) > BigInt(prev);
  return false;
}

/** Wraps a file input's parse, turning its exceptions into an input status. */
export function collectedFromError(key: string, e: unknown): Collected<unknown> {
  if (e instanceof InputError) return { key, status: e.status, reason: e.message };
  return { key, status: 'failed', reason: (e as Partial<Error> | null | undefined)?.message ?? String(e) };
}
