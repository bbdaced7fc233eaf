/**
 * The offline dump source: a folder, a `.tar.gz` of one, or a single YAML/JSON file
 * (docs/dump-format.md).
 *
 * The dump's layout is recognised when it is opened (`formats.ts`): kube-preflight's own, or a
 * troubleshoot support bundle, a `kubectl cluster-info dump` or Sonobuoy results, whose files are
 * mapped to the resources and file inputs they hold. In kube-preflight's own layout,
 * resource inputs read every `*.json|*.yaml|*.yml` under `resources/` at any depth, one file
 * at a time, keeping only the normalized fields of the kinds the selected inputs read. A
 * file named after a built-in resource no input reads (`events.json`) is not parsed.
 *
 * Whether a resource input is `ok`, `absent` or `missing` in a dump:
 * - `metadata.json` written by `collect` records the status of every resource it listed
 *   (including `forbidden` and `absent`); that record wins;
 * - otherwise the input is `ok` when the dump holds objects of its kind, or a file named
 *   after its resource (`pods.yaml`, `statefulsets.apps.json` or `statefulsets.json`,
 *   `pods/0001.json`), since an empty `kubectl get -o yaml` List does not say what it listed
 *   (items without kind in such a file — a kindless list, a bare JSON array — take the kind
 *   of the resource it is named after);
 * - a CRD-served resource whose CustomResourceDefinition is not in the dump's CRD list is
 *   `absent`; anything else is `missing`.
 * A file that cannot be parsed makes the inputs it could have fed `failed`: those of the
 * resource it is named after, or every resource input when its name says nothing. A YAML file
 * of only comments (no document, no List) is not an empty list: named after a resource, it is
 * a failed part of that resource; named after nothing, a warning.
 *
 * An object whose kind is not that of the built-in resource its file is named after (a Pod in
 * `deployments.apps.json`) is read as what it says it is (its apiVersion and kind), and the
 * file's own resource is not fully known: a failed part of the inputs reading that resource,
 * `{ file, field: 'item N' }`, and a warning naming the file and the item.
 * Objects are counted 0-based in their file (`item 2` is `.items[2]` of a single List).
 *
 * A large dump's resources files are shared between the main thread and one loading thread
 * (`load-worker.ts`; see `WORKER_MIN_BYTES`), each reading, parsing and normalizing the next
 * file not yet taken (`load-file.ts`); the main thread merges every file's objects in file
 * order, so the inputs, warnings and errors are those of the main thread reading them all.
 * `KUBE_PREFLIGHT_LOAD_WORKER=1` starts the loading thread whatever the dump's size, `0` never.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, posix, resolve, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { ReadEntry } from 'tar';
import type { Collected, InputStatus } from '../contract/inputs.js';
import { FatalError } from '../contract/errors.js';
import { Worker } from 'node:worker_threads';
import { isRecord } from '../k8s/objects.js';
import { BUILTIN_RESOURCE_NAMES } from '../k8s/resources.js';
import { limits, overLimit } from '../limits.js';
import { FROM_SOURCE } from '../paths.js';
import { loadFileInput, matchDumpFiles } from './file-inputs.js';
import { FileHasher } from './file-hasher.js';
import { detectLayout, OBJECT_FILE, type DumpLayout } from './formats.js';
import { resourceName, type DumpFile, type FileInputDef, type InputDef, type ResourceInputDef } from './input-def.js';
import { INPUTS } from './inputs.js';
import { checkedSize, fileType, foreignKind, readForParse, readObjects, type LoadAnswer, type ObjectHead } from './load-file.js';
import type { LoadReply, LoadTask, LoadWorkerData } from './load-worker.js';
import { FileError, parseJsonFile } from './parse.js';
import { STREAM_THRESHOLD_BYTES } from './parse-stream.js';
import type { ScanOptions } from './scan-options.js';
import { everythingReads } from './everything.js';
import { namedPart, ObjectNormalizer, ResourceAccumulator, type Progress, type Source, type SourceInfo } from './source.js';

/**
 * From this many bytes of resources files to parse, the loading thread shares them with the
 * main thread (`loadShared`); below, it costs more than it saves: it imports the input modules
 * and holds its own heap, and its values are copied across and interned again. Measured on 2
 * shared cores, per-thread CPU of the scan, without and with the thread: on 87 MB (1,000
 * nodes) the main thread's CPU fell by 2–12 % while the process's grew by 30–40 %; on 424 MB
 * (5,000 nodes / 150,000 pods) the main thread's fell by 21 % and the process's grew by 18 %.
 */
const WORKER_MIN_BYTES = 256 * 1024 * 1024;

/** Files the loading thread is given ahead of its answers (it never waits for a message). */
const WORKER_AHEAD = 2;

/**
 * The loading thread's young generation, MiB (`resourceLimits.maxYoungGenerationSizeMb`): on
 * the 5k dump the process's CPU was 1.8 s higher at 8 MiB and 0.6 s higher at 48 than at 128
 * (two runs each; peak RSS 450 MiB at 64, 484 MiB at 128, one run each).
 */
const WORKER_YOUNG_MB = 128;

/**
 * True when the loading thread may read a file of `size` bytes: not a JSON file above
 * `STREAM_THRESHOLD_BYTES`, which the main thread streams (its values would cross in one
 * message as large as they are).
 */
function shareable(rel: string, size: number): boolean {
  return size <= STREAM_THRESHOLD_BYTES || !/\.json$/i.test(rel);
}

/** A file's answer; `crossed`: it came from the loading thread (its values are copies). */
type Answer = LoadAnswer & { crossed?: boolean };

/** `metadata.json` of a dump. `resources` and `inputs` are written by `collect`. */
export interface DumpMetadata {
  collectedAt?: string;
  server?: string;
  context?: string;
  collectedBy?: string;
  /**
   * Status of each resource `collect` listed, by `plural[.group]` (or a group-version whose
   * discovery failed); `apiVersion` and `kind` of a resource it could not read.
   */
  resources?: Record<string, { status: InputStatus; reason?: string; count?: number; apiVersion?: string; kind?: string }>;
  /** Status of each file input `collect` fetched, by input key, when it wrote no file. */
  inputs?: Record<string, { status: InputStatus; reason?: string }>;
}

export class DumpSource implements Source {
  readonly info: SourceInfo;

  private constructor(
    /** Root folder of the dump (a temporary folder for a `.tar.gz`). */
    private readonly root: string,
    /** Dump-relative paths of every file. */
    private readonly files: string[],
    private readonly metadata: DumpMetadata,
    private readonly cleanup: string | undefined,
    location: string,
    warnings: string[],
    /** Files that are not read, by dump-relative path, with the reason (an archive entry above `maxFileBytes`). */
    private readonly unread: Map<string, string>,
    /** How the dump's files map to inputs (kube-preflight's layout, or another tool's). */
    private readonly layout: DumpLayout,
  ) {
    this.info = {
      type: 'dump',
      location,
      server: metadata.server,
      context: metadata.context,
      collectedAt: metadata.collectedAt,
      ...(typeof metadata.collectedBy === 'string' && metadata.collectedBy !== '' ? { collectedBy: metadata.collectedBy } : {}),
      ...(layout.format ? { format: layout.format } : {}),
      warnings,
    };
  }

  /**
   * Opens a dump. Throws `FatalError` when the path does not exist or is not a folder,
   * a `.tar.gz` or a YAML/JSON file (a FIFO or a device is refused, never opened), when the
   * dump has more than `maxDumpFiles` files, and when a `.tar.gz` is corrupt or expands past
   * `maxDumpBytes` (its temporary folder is then removed).
   */
  static async open(path: string): Promise<DumpSource> {
    const abs = resolve(path);
    let st;
    try {
      st = await stat(abs);
    } catch {
      throw new FatalError(`dump not found: ${path} does not exist`);
    }
    const warnings: string[] = [];
    if (st.isDirectory()) return DumpSource.fromFolder(abs, path, undefined, warnings, new Map());
    if (!st.isFile()) throw new FatalError(`dump ${path}: ${fileType(st)}, not a folder or a regular file; not read`);
    if (/\.(tar\.gz|tgz)$/i.test(abs)) {
      const tmp = await mkdtemp(join(tmpdir(), 'kube-preflight-dump-'));
      let unread: Map<string, string>;
      try {
        unread = await extractArchive(abs, path, tmp, warnings);
      } catch (e) {
        await removeTemp(tmp);
        throw e;
      }
      let root = tmp;
      let prefix = '';
      // One top folder (entries not extracted count) is the dump's root.
      const top = (await readdir(tmp, { withFileTypes: true })).filter((d) => !d.name.startsWith('.'));
      const tops = new Set([
        ...top.map((d) => (d.isDirectory() ? d.name : '')),
        ...[...unread.keys()].map((p) => (p.includes('/') ? p.slice(0, p.indexOf('/')) : '')),
      ]);
      if (tops.size === 1 && !tops.has('')) {
        prefix = `${[...tops][0]!}/`;
        root = join(tmp, [...tops][0]!);
        await mkdir(root, { recursive: true });
      }
      const rel = new Map([...unread].filter(([p]) => p.startsWith(prefix)).map(([p, why]) => [p.slice(prefix.length), why]));
      try {
        return await DumpSource.fromFolder(root, path, tmp, warnings, rel);
      } catch (e) {
        await removeTemp(tmp);
        throw e;
      }
    }
    if (OBJECT_FILE.test(abs)) {
      const src = new DumpSource(
        resolve(abs, '..'),
        [],
        {},
        undefined,
        path,
        warnings,
        new Map(),
        await detectLayout([], () => Promise.reject(new Error('no file'))),
      );
      src.singleFile = basename(abs);
      return src;
    }
    throw new FatalError(`dump ${path}: not a dump (expected a folder, a .tar.gz, or a .yaml/.yml/.json file)`);
  }

  /** Set for a single-file dump: that file is the only resources file. */
  private singleFile?: string;

  private static async fromFolder(
    root: string,
    location: string,
    cleanup: string | undefined,
    warnings: string[],
    unread: Map<string, string>,
  ): Promise<DumpSource> {
    const listed = await listFiles(location, await realpath(root), warnings);
    const files = unread.size > 0 ? [...new Set([...listed, ...unread.keys()])].sort() : listed;
    let metadata: DumpMetadata = {};
    if (files.includes('metadata.json')) {
      try {
        const m = parseJsonFile('metadata.json', await readDumpFile(root, 'metadata.json', unread));
        if (isRecord(m)) metadata = m;
        else warnings.push('metadata.json: not a JSON object; ignored');
      } catch (e) {
        warnings.push(
          `${e instanceof FileError ? e.message : `metadata.json: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`}; ` +
            `ignored`,
        );
      }
    }
    const layout = await detectLayout(files, (rel) => readDumpFile(root, rel, unread));
    if (layout.format) {
      // Statuses collect recorded win; the format's knowledge fills the rest.
      metadata = { ...metadata, resources: { ...layout.resources, ...metadata.resources } };
      warnings.push(...layout.warnings);
    } else if (!files.some((f) => f.startsWith('resources/'))) {
      const stray = files.filter((f) => !f.includes('/') && OBJECT_FILE.test(f) && f !== 'metadata.json' && f !== 'version.json');
      if (stray.length > 0) {
        warnings.push(
          `no resources/ folder: the ${stray.length} YAML/JSON file(s) at the top of the dump ` +
            `(${stray.slice(0, 3).join(', ')}${stray.length > 3 ? ', …' : ''}) are not read; move them under ` +
            `resources/`,
        );
      }
    }
    return new DumpSource(root, files, metadata, cleanup, location, warnings, unread, layout);
  }

  async load(defs: InputDef[], options: ScanOptions, progress?: Progress): Promise<Map<string, Collected<unknown>>> {
    const out = new Map<string, Collected<unknown>>();
    const resourceDefs = defs.filter((d): d is ResourceInputDef => d.type === 'resources');
    const fileDefs = defs.filter((d): d is FileInputDef => d.type === 'files');
    this.hashInBackground();
    if (resourceDefs.length > 0) {
      for (const [k, v] of await this.loadResources(resourceDefs, progress)) out.set(k, v);
    }
    for (const def of fileDefs) {
      progress?.start(def.key);
      const c = await loadFileInput(def, options, async () => {
        const aliases = this.layout.fileAliases;
        const paths = matchDumpFiles(def, aliases.size > 0 ? [...new Set([...this.files, ...aliases.keys()])] : this.files);
        const recorded = this.metadata.inputs?.[def.key];
        if (paths.length === 0 && recorded && recorded.status !== 'ok') {
          return {
            status: recorded.status,
            reason: recorded.reason ?? `recorded as ${recorded.status} by collect`,
            sources: ['metadata.json'],
          };
        }
        if (paths.length === 0) {
          return { status: 'missing', reason: this.layout.noFileReason(def) };
        }
        const files = await Promise.all(paths.map((p) => this.readInputFile(p)));
        return { status: 'ok', files };
      });
      out.set(def.key, c);
      progress?.done(def.key, c.status);
    }
    return out;
  }

  private async loadResources(defs: ResourceInputDef[], progress?: Progress): Promise<Map<string, Collected<unknown>>> {
    const acc = new ResourceAccumulator(defs);
    // A file may be named after `plural.group` (as collect writes) or the bare plural
    // (`kubectl get roles -A -o yaml > roles.yaml`): both name the resource.
    const wanted = new Set(defs.flatMap((d) => d.resources.flatMap((r) => [resourceName(r), r.resource])));
    const found = new Set<string>();
    const crdNames = new Set<string>();
    let crdListPresent = false;
    const failures: Array<{ hint?: string; message: string }> = [];
    for (const d of defs) progress?.start(d.key);

    const resourceFiles = this.singleFile ? [this.singleFile] : [...this.layout.resourceFiles.keys()];
    const toParse: Array<{ rel: string; hint?: string }> = [];
    for (const rel of resourceFiles) {
      const hint = this.singleFile ? rel.replace(OBJECT_FILE, '') : this.layout.resourceFiles.get(rel);
      if (hint === 'customresourcedefinitions.apiextensions.k8s.io') crdListPresent = true;
      if (hint !== undefined && wanted.has(hint)) found.add(hint);
      const skip = !acc.wantsEverything && hint !== undefined && BUILTIN_RESOURCE_NAMES.has(hint) && !wanted.has(hint);
      if (!skip || hint === 'customresourcedefinitions.apiextensions.k8s.io') toParse.push({ rel, hint });
    }
    const onObject = (obj: ObjectHead, rel: string, index: number, hint: string | undefined): void => {
      if (obj.kind === 'CustomResourceDefinition') {
        crdListPresent = true;
        crdNames.add(obj.name);
      }
      const named = foreignKind(hint, obj);
      if (named) {
        const what = `${rel} item ${index}`;
        const reason =
          `${what}: a ${obj.kind} (${obj.apiVersion}) in a file named after ${hint}, not a ${named.kind}: ` +
          `read as a ${obj.kind}; the ${named.kind} objects of the file are not all known`;
        this.info.warnings.push(reason);
        acc.addUnreadPart(hint!, obj.namespace, {
          source: `${rel}#item ${index}`,
          status: 'failed',
          reason,
          subjects: `${named.kind} objects of ${rel}`,
          resource: { file: rel, field: `item ${index}` },
        });
      }
    };
    const sizes = await this.workerSizes(defs, toParse);
    const { answer: answers, close } = sizes
      ? this.loadShared(acc.normalizer, toParse, sizes)
      : { answer: this.loadHere(acc.normalizer, toParse) };
    try {
      for (let i = 0; i < toParse.length; i++) {
        const { rel, hint } = toParse[i]!;
        const answer = await answers(i);
        // Values that crossed in one message share their parts: they are interned again once.
        const memo = answer.crossed ? new Map<unknown, unknown>() : undefined;
        for (const o of answer.objects) {
          if (o.head) onObject(o.head, rel, o.index, hint);
          if (o.n) acc.merge(o.n, memo);
        }
        const e = answer.error;
        if (e) {
          // A file named after a resource that is read or built in: its failure is that resource's.
          const known = hint !== undefined && (wanted.has(hint) || BUILTIN_RESOURCE_NAMES.has(hint));
          if (e.noObjects && !known) {
            this.info.warnings.push(`${e.message} (skipped)`);
            continue;
          }
          failures.push({ hint: known ? hint : undefined, message: e.message });
        }
        for (const d of defs) progress?.update(d.key, acc.count(d.key));
      }
    } finally {
      await close?.();
    }
    for (const f of failures) this.info.warnings.push(`${f.message} (skipped)`);

    if (acc.wantsEverything) {
      if (failures.length > 0) acc.setEverythingStatus('failed', failures.map((f) => f.message).join('; '));
      else if (resourceFiles.length === 0) acc.setEverythingStatus('missing', 'not in the dump: no resources/ files');
      else {
        const wildcards = defs.filter((d) => d.everything);
        const notRead = Object.entries(this.metadata.resources ?? {})
          .filter(([name, v]) => v.status !== 'ok' && v.status !== 'absent' && wildcards.some((d) => everythingReads(d, name)))
          .map(([name, v]) =>
            namedPart(
              name,
              v.status as Exclude<InputStatus, 'ok' | 'absent'>,
              v.reason ?? `recorded as ${v.status} by collect`,
              v.apiVersion && v.kind ? { apiVersion: v.apiVersion, kind: v.kind } : undefined,
            ),
          );
        acc.setEverythingStatus('ok', undefined, notRead);
      }
    }
    for (const def of defs) {
      for (const r of def.resources) {
        const name = resourceName(r);
        const recorded = this.metadata.resources?.[name];
        const fileFailure = failures.find((f) => f.hint === name || f.hint === r.resource || f.hint === undefined);
        if (fileFailure) {
          acc.setStatus(r, 'failed', fileFailure.message);
        } else if (recorded) {
          acc.setStatus(r, recorded.status, recorded.reason);
        } else if (found.has(name) || found.has(r.resource) || acc.sawKind(r.group, r.kind)) {
          acc.setStatus(r, 'ok');
        } else if (r.crd && crdListPresent && !crdNames.has(name)) {
          acc.setStatus(r, 'absent', `CustomResourceDefinition ${name} is not in the dump's CRD list (not installed)`);
        } else {
          acc.setStatus(r, 'missing', this.layout.missingReason(r));
        }
      }
    }
    const result = acc.result();
    for (const [k, c] of result) progress?.done(k, c.status);
    return result;
  }

  /**
   * Reads a file a file input asked for by its path in kube-preflight's layout: the file itself,
   * or the file of another tool's layout standing for it (named by its own path, converted).
   */
  private async readInputFile(p: string): Promise<DumpFile> {
    const alias = this.files.includes(p) ? undefined : this.layout.fileAliases.get(p);
    const path = alias?.path ?? p;
    const raw = await readDumpFile(this.root, path, this.unread);
    return { path, content: alias?.convert ? alias.convert(raw) : raw };
  }

  /**
   * Sizes in bytes of the resources files to parse when the loading thread is to share them
   * (else undefined): when the inputs are all built-in ones (the thread imports only those),
   * the program runs from JavaScript (not the TypeScript sources under test), there are two
   * files or more and two cores or more, and the files the thread may take (`shareable`) hold
   * `WORKER_MIN_BYTES` or more in all.
   * `KUBE_PREFLIGHT_LOAD_WORKER=1` starts the thread whatever the size, `0` never.
   */
  private async workerSizes(defs: ResourceInputDef[], files: Array<{ rel: string }>): Promise<number[] | undefined> {
    const env = process.env.KUBE_PREFLIGHT_LOAD_WORKER;
    if (env === '0' || FROM_SOURCE || files.length < 2 || !defs.every((d) => INPUTS.get(d.key) === d)) return undefined;
    if (env !== '1' && availableParallelism() < 2) return undefined;
    const sizes = await Promise.all(
      files.map(({ rel }) =>
        stat(join(this.root, rel)).then(
          (st) => st.size,
          () => 0,
        ),
      ),
    );
    let bytes = 0;
    for (const [i, size] of sizes.entries()) if (shareable(files[i]!.rel, size)) bytes += size;
    return env === '1' || bytes >= WORKER_MIN_BYTES ? sizes : undefined;
  }

  /**
   * Reads the files on the main thread, in order: answer `i` for `files[i]`. The next file is
   * read from disk while the current one is parsed.
   */
  private loadHere(normalizer: ObjectNormalizer, files: Array<{ rel: string; hint?: string }>): (i: number) => Promise<Answer> {
    let next = files.length > 0 ? this.readForParse(files[0]!.rel) : undefined;
    return async (i) => {
      const { rel, hint } = files[i]!;
      const current = next!;
      next = i + 1 < files.length ? this.readForParse(files[i + 1]!.rel) : undefined;
      return readObjects(join(this.root, rel), rel, hint, current, normalizer);
    };
  }

  /**
   * Shares the files between the main thread and one loading thread (`load-worker.ts`), both
   * taking the next file not yet taken: the thread is kept `WORKER_AHEAD` files ahead, and
   * while the main thread waits for the thread's answer to the file whose turn it is to be
   * merged, it reads the next files itself, in place. Answer `i` is `files[i]`'s, whoever
   * read it, so the caller merges them in file order. A JSON file above
   * `STREAM_THRESHOLD_BYTES` is left to the main thread (it streams it; its values would
   * cross in one message as large as they are). Should the thread fail, the main thread reads
   * the files it held. `close` ends the thread.
   */
  private loadShared(
    normalizer: ObjectNormalizer,
    files: Array<{ rel: string; hint?: string }>,
    sizes: number[],
  ): { answer: (i: number) => Promise<Answer>; close: () => Promise<void> } {
    const taken = new Uint8Array(files.length);
    const answers: Array<Promise<Answer> | undefined> = [];
    /** Files the thread holds: how to settle each one's answer. */
    const held = new Map<number, (a: Answer | Promise<Answer>) => void>();
    let front = 0;
    const here = (i: number): Promise<Answer> => {
      const { rel, hint } = files[i]!;
      const abs = join(this.root, rel);
      return readObjects(abs, rel, hint, readForParse(abs, rel, this.unread.get(rel)), normalizer);
    };
    const data: LoadWorkerData = { keys: normalizer.defs.map((d) => d.key), limits: { ...limits() } };
    let worker: Worker | undefined = new Worker(new URL('./load-worker.js', import.meta.url), {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    const feed = (): void => {
      for (let j = front; worker && held.size < WORKER_AHEAD && j < files.length; j++) {
        if (taken[j] || !shareable(files[j]!.rel, sizes[j]!)) continue;
        taken[j] = 1;
        const { rel, hint } = files[j]!;
        answers[j] = new Promise<Answer>((resolve) => held.set(j, resolve));
        const unread = this.unread.get(rel);
        worker.postMessage({
          i: j,
          abs: join(this.root, rel),
          rel,
          ...(hint !== undefined ? { hint } : {}),
          ...(unread !== undefined ? { unread } : {}),
        } satisfies LoadTask);
      }
    };
    worker.on('message', ({ i, answer }: LoadReply) => {
      const settle = held.get(i);
      held.delete(i);
      settle?.({ ...answer, crossed: true });
      feed();
    });
    const fail = (): void => {
      worker = undefined;
      for (const [i, settle] of held) settle(here(i));
      held.clear();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    feed();
    /** Takes the next file no one has taken and reads it on the main thread; undefined when there is none. */
    const takeHere = (): Promise<Answer> | undefined => {
      while (front < files.length && taken[front]) front++;
      if (front >= files.length) return undefined;
      const j = front;
      taken[j] = 1;
      return (answers[j] = here(j));
    };
    const answer = async (i: number): Promise<Answer> => {
      if (!taken[i]) {
        taken[i] = 1;
        answers[i] = here(i);
      }
      for (let mine; held.has(i) && (mine = takeHere());) await mine;
      const a = await answers[i]!;
      answers[i] = undefined;
      return a;
    };
    return {
      answer,
      close: async () => {
        const w = worker;
        worker = undefined;
        if (w) await w.terminate();
      },
    };
  }

  /** `readForParse` of `rel`; the promise never rejects before it is awaited (a read error surfaces where the file is parsed). */
  private readForParse(rel: string): Promise<Buffer | 'stream'> {
    const p = readForParse(join(this.root, rel), rel, this.unread.get(rel));
    p.catch(() => undefined);
    return p;
  }

  /** SHA-256 (hex) of the dump's files from the hashing thread, by dump-relative path. */
  private readonly hashes = new Map<string, string | Promise<string>>();

  private readonly hasher = new FileHasher();

  /**
   * Asks the hashing thread, in one message, for the SHA-256 of every file `digest()` reads
   * (of a folder, its files; of a single file, that file; of a `.tar.gz`, none: the archive is
   * hashed by `digest()`) not asked yet, so that hashing overlaps the parse. A failure surfaces
   * where the hash is awaited (`digest()`).
   */
  private hashInBackground(): void {
    if (this.cleanup) return;
    const rels = (this.singleFile ? [this.singleFile] : this.files).filter((rel) => !this.hashes.has(rel));
    const hashes = this.hasher.hashMany(rels.map((rel) => join(this.root, rel)));
    for (let i = 0; i < rels.length; i++) {
      hashes[i]!.catch(() => undefined);
      this.hashes.set(rels[i]!, hashes[i]!);
    }
  }

  /**
   * SHA-256 of the dump as given, in hex: of the file for a `.tar.gz` or a single file; for a
   * folder, of the `sha256sum` listing of its files (sorted paths, hidden files excluded), which
   * `cd DUMP && find . -type f | grep -v '/\.' | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum`
   * reproduces. Also sets `info.sha256`.
   */
  async digest(): Promise<string> {
    let hex: string;
    try {
      if (this.cleanup) {
        hex = await this.hasher.hash(resolve(this.info.location));
      } else if (this.singleFile) {
        this.hashInBackground();
        hex = await this.hashes.get(this.singleFile)!;
      } else {
        this.hashInBackground();
        const listing: string[] = [];
        for (const rel of this.files) listing.push(`${await this.hashes.get(rel)!}  ${rel}\n`);
        hex = createHash('sha256').update(listing.join('')).digest('hex');
      }
    } finally {
      await this.hasher.close();
    }
    this.info.sha256 = hex;
    return hex;
  }

  async close(): Promise<void> {
    await this.hasher.close();
    if (this.cleanup) await removeTemp(this.cleanup);
  }
}

/** Archive entry types that are extracted; links, devices and FIFOs are not. */
const EXTRACTED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);

/**
 * Extracts a `.tar.gz` dump into `dest` as it streams, within the limits. An entry above
 * `maxFileBytes` is not extracted: it is returned, by archive path, with the reason. An entry
 * that is not a file or folder is not extracted (a warning names it). Past `maxDumpFiles`
 * entries or `maxDumpBytes` in all (checked on each entry's header, before its data is
 * written), or on a corrupt or truncated archive, rejects with `FatalError` naming the archive
 * and the entry — only once every file being written is closed, so `dest` can be removed.
 */
async function extractArchive(abs: string, location: string, dest: string, warnings: string[]): Promise<Map<string, string>> {
  // tar loads only for an archive (a folder dump does not need it), before any stream opens.
  const tar = await import('tar');
  const { maxFileBytes, maxDumpBytes, maxDumpFiles } = limits();
  const unread = new Map<string, string>();
  let entries = 0;
  let total = 0;
  let last: string | undefined;
  let failure: string | undefined;
  const where = (): string => (last === undefined ? 'before the first entry' : `after entry ${last}`);
  const input = createReadStream(abs);
  const gunzip = createGunzip();
  // Not `strict`: tar then stalls on an entry it refuses. Its warnings are failures instead.
  const unpack = new tar.Unpack({
    cwd: dest,
    onwarn: (code, message, data) => {
      const entry = (data as { entry?: ReadEntry }).entry?.path;
      stop(
        entry === undefined || code === 'TAR_BAD_ARCHIVE'
          ? `truncated or corrupt ${where()} (${code}: ${message})`
          : `entry ${entry}: ${message} (${code}); refused`,
      );
    },
    filter: (path, entry) => {
      if (failure !== undefined) return false;
      const { type, size } = entry as ReadEntry;
      if (++entries > maxDumpFiles) return stop(overLimit('the number of entries', 'maxDumpFiles'));
      if (!EXTRACTED_TYPES.has(type)) {
        warnings.push(`${location}: entry ${path} is a ${type}, not a file or folder; not extracted`);
        return false;
      }
      if (size > maxFileBytes) {
        unread.set(posix.normalize(path.replace(/^\/+/, '')), `${overLimit(`${size} bytes`, 'maxFileBytes')}; not extracted`);
        return false;
      }
      total += size;
      if (total > maxDumpBytes) return stop(overLimit(`the expanded size (at entry ${path})`, 'maxDumpBytes'));
      last = path;
      return true;
    },
  });
  let ended = false;
  /** Stops reading the archive and ends the extraction (which then closes). */
  const finish = (): void => {
    if (ended) return;
    ended = true;
    gunzip.unpipe(unpack);
    input.destroy();
    unpack.end();
  };
  function stop(why: string): false {
    failure ??= why;
    setImmediate(finish);
    return false;
  }
  input.on('error', (e) => stop(`cannot read it: ${e.message}`));
  gunzip.on('error', (e) =>
    stop(last === undefined ? `not a gzip file, or corrupt (gzip: ${e.message})` : `truncated or corrupt ${where()} (gzip: ${e.message})`),
  );
  unpack.on('error', (e: Error) => stop(`truncated or corrupt ${where()} (${e.message})`));
  const closed = new Promise<void>((res) => unpack.on('close', res));
  gunzip.on('end', () => (ended = true));
  input.pipe(gunzip).pipe(unpack);
  await closed;
  if (failure !== undefined) throw new FatalError(`dump ${location}: ${failure}`);
  return unread;
}

/** Removes a temporary folder (retrying, as `rm` does on EBUSY or ENOTEMPTY). */
function removeTemp(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true, maxRetries: 5 });
}

/** Reads a whole dump file after `checkedSize`. */
async function readDumpFile(root: string, rel: string, unread: Map<string, string>): Promise<Buffer> {
  await checkedSize(join(root, rel), rel, unread.get(rel));
  return readFile(join(root, rel));
}

/**
 * Dump-relative paths of the regular files under `root` (hidden ones excluded), sorted. A
 * symbolic link is followed when it leads to a regular file inside the dump; other links,
 * FIFOs, sockets and devices are skipped with a warning. Throws `FatalError` past
 * `maxDumpFiles` files.
 */
async function listFiles(location: string, root: string, warnings: string[]): Promise<string[]> {
  const out: string[] = [];
  const max = limits().maxDumpFiles;
  const walk = async (prefix: string): Promise<void> => {
    for (const e of await readdir(join(root, prefix), { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(rel);
      else if (e.isFile() || (e.isSymbolicLink() && (await linkToFileInside(root, rel, warnings)))) {
        out.push(rel);
        if (out.length > max) throw new FatalError(`dump ${location}: ${overLimit('the number of files', 'maxDumpFiles')}`);
      } else if (!e.isSymbolicLink()) warnings.push(`${rel}: ${fileType(e)}, not a regular file; skipped`);
    }
  };
  await walk('');
  return out.sort();
}

/** True when the link `rel` leads to a regular file inside `root`; else warns and returns false. */
async function linkToFileInside(root: string, rel: string, warnings: string[]): Promise<boolean> {
  let target: string;
  try {
    target = await realpath(join(root, rel));
  } catch {
    warnings.push(`${rel}: a symbolic link to nothing; skipped`);
    return false;
  }
  if (!target.startsWith(`${root}${sep}`)) {
    warnings.push(`${rel}: a symbolic link out of the dump (to ${target}); skipped`);
    return false;
  }
  const st = await stat(target);
  if (st.isFile()) return true;
  warnings.push(`${rel}: a symbolic link to ${fileType(st)}, not a regular file; skipped`);
  return false;
}
