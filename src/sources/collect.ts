/**
 * `collect`: reads a live cluster exactly as a scan of the same checks would, and writes what
 * it read as a dump (docs/dump-format.md), so that a scan of the dump gives the
 * same report as the live scan.
 *
 * Layout written:
 * - `resources/<plural[.group]>/<nnnn>.json`: each LIST page as a kubectl-style `List`
 *   (`kind` and `apiVersion` on every item), objects passed through `redact()` so no Secret
 *   value other than `tls.crt`/`ca.crt` and no Helm release payload is written. A resource
 *   listed with two selections gets the pages of both (duplicates collapse on load).
 * - the files file inputs fetched (`version.json`, `metrics/apiserver.txt`, `pki/…`), at
 *   their dump paths, as `redactFile` keeps them: kubeconfigs reduced to their certificates,
 *   certificate files without keys, no PEM private key anywhere.
 * - `metadata.json`: `collectedAt`, `server`, `context`, `collectedBy`, the status of every
 *   resource listed (`resources`: status, reason, count of distinct objects) and of every
 *   file input that wrote no file (`inputs`), which the dump loader reads back.
 *
 * Output to a path ending in `.tar.gz`/`.tgz` writes a gzipped tarball of one folder.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import * as tar from 'tar';
import type { InputStatus } from '../contract/inputs.js';
import { FatalError } from '../contract/errors.js';
import { objectKey } from '../k8s/objects.js';
import { TOOL_VERSION } from '../paths.js';
import type { DumpMetadata } from './dump.js';
import type { DumpFile, InputDef } from './input-def.js';
import { reducedKubeconfigFile, withoutPrivateKeys } from './inputs/certs/pki-files.js';
import { USER_KUBECONFIG_FILE } from './inputs/certs/scanner.js';
import type { LiveSink, LiveSource } from './live.js';
import { redact } from './redact.js';
import type { ScanOptions } from './scan-options.js';
import type { Progress } from './source.js';

export interface CollectSummary {
  /** The folder or tarball written. */
  output: string;
  metadata: Required<Pick<DumpMetadata, 'collectedAt' | 'resources' | 'inputs'>> & DumpMetadata;
  /** Objects written (pages summed). */
  objects: number;
  /** Files written besides resources and metadata.json. */
  files: number;
}

const TARBALL = /\.(tar\.gz|tgz)$/i;
const RANK: Record<InputStatus, number> = { ok: 0, absent: 1, missing: 2, forbidden: 3, failed: 4 };

/**
 * Throws `FatalError` when `output` cannot be written: a tarball that exists, or a folder
 * that exists and is not empty. Call it before connecting, to fail fast.
 */
export async function checkOutput(output: string): Promise<void> {
  if (!existsSync(output)) return;
  if (TARBALL.test(output)) throw new FatalError(`${output} already exists; collect does not overwrite`);
  let entries: string[];
  try {
    entries = await readdir(output);
  } catch {
    throw new FatalError(`${output} exists and is not a folder`);
  }
  if (entries.length > 0) throw new FatalError(`${output} is not empty; collect writes a new dump into an empty or new folder`);
}

/**
 * Reads the inputs `defs` from the live source and writes them as a dump at `output` (a
 * folder, or a `.tar.gz`). Throws `FatalError` when the output cannot be written.
 */
export async function collect(
  source: LiveSource,
  defs: InputDef[],
  options: ScanOptions,
  output: string,
  progress?: Progress,
  now = new Date(),
): Promise<CollectSummary> {
  await checkOutput(output);
  const tarball = TARBALL.test(output);
  const tmp = tarball ? await mkdtemp(join(tmpdir(), 'kube-preflight-collect-')) : undefined;
  const root = tmp ? join(tmp, basename(output).replace(TARBALL, '')) : output;
  const createdRoot = !existsSync(root);
  const resources: Record<string, { status: InputStatus; reason?: string; count: number; apiVersion?: string; kind?: string }> = {};
  const inputs: Record<string, { status: InputStatus; reason?: string }> = {};
  const pageNo = new Map<string, number>();
  const distinct = new Map<string, Set<string>>();
  let objects = 0;
  let files = 0;

  const write = async (rel: string, content: string | Buffer): Promise<void> => {
    const abs = join(root, rel);
    await mkdir(dirname(abs), { recursive: true });
    try {
      await writeFile(abs, content);
    } catch (e) {
      throw new FatalError(`cannot write ${abs}: ${(e as Error).message}`);
    }
  };
  const sink: LiveSink = {
    async page(name, items) {
      const n = (pageNo.get(name) ?? 0) + 1;
      pageNo.set(name, n);
      const seen = distinct.get(name) ?? new Set<string>();
      distinct.set(name, seen);
      for (const o of items) seen.add(objectKey(o));
      objects += items.length;
      const list = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: items.map(redact) };
      await write(`resources/${name}/${String(n).padStart(4, '0')}.json`, JSON.stringify(list));
    },
    status(name, status, reason, type) {
      const prev = resources[name];
      if (!prev || RANK[status] > RANK[prev.status]) {
        const unread = status !== 'ok' && status !== 'absent';
        resources[name] = { status, ...(reason && status !== 'ok' ? { reason } : {}), ...(type && unread ? type : {}), count: 0 };
      }
    },
    async files(def, fetched, result) {
      const written = fetched.status === 'ok' ? fetched.files : [];
      for (const f of written) {
        const kept = redactFile(f);
        if (!kept) continue;
        await write(safePath(f.path), kept);
        files++;
      }
      if (written.length === 0) inputs[def.key] = { status: result.status, ...(result.reason ? { reason: result.reason } : {}) };
    },
  };

  try {
    await mkdir(root, { recursive: true });
    await source.read(defs, options, progress, sink);
    for (const [name, r] of Object.entries(resources)) r.count = distinct.get(name)?.size ?? 0;
    const metadata: CollectSummary['metadata'] = {
      collectedAt: now.toISOString(),
      server: source.info.server,
      context: source.info.context,
      collectedBy: `kube-preflight ${TOOL_VERSION} collect`,
      resources: sortKeys(resources),
      inputs: sortKeys(inputs),
    };
    await write('metadata.json', `${JSON.stringify(metadata, null, 2)}\n`);
    if (tmp) {
      await mkdir(dirname(resolve(output)), { recursive: true });
      await tar.c({ gzip: true, file: output, cwd: tmp, portable: true }, [basename(root)]);
    }
    return { output, metadata, objects, files };
  } catch (e) {
    if (createdRoot && !tmp) await rm(root, { recursive: true, force: true });
    throw e;
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A dump-relative path, refused when it would leave the dump folder. */
function safePath(p: string): string {
  const n = normalize(p).replace(/\\/g, '/');
  if (isAbsolute(n) || n.startsWith('../') || n === '..') throw new FatalError(`refusing to write ${p}: outside the dump folder`);
  return n;
}

const PRIVATE_KEY_BLOCK = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----\r?\n?|$)/g;
const KUBECONFIG_FILE = /\.(conf|kubeconfig)$/i;
const CERT_FILE = /\.(crt|pem|cer)$/i;

/**
 * A fetched file as a dump keeps it, or undefined when nothing of it may be kept. Decided on
 * the file's structure, not its lines: a kubeconfig is reduced to its certificates (a file
 * that is not one becomes a stand-in recording only where it is malformed); a certificate
 * file keeps only its certificates; any other file loses its PEM private-key blocks (to the
 * end of the file when a block is not closed).
 */
export function redactFile(f: DumpFile): Buffer | undefined {
  if (KUBECONFIG_FILE.test(f.path) || f.path === USER_KUBECONFIG_FILE) return reducedKubeconfigFile(f.content);
  if (CERT_FILE.test(f.path)) return withoutPrivateKeys(f.content);
  const text = f.content.toString('latin1');
  if (!text.includes('PRIVATE KEY-----')) return f.content;
  return Buffer.from(text.replace(PRIVATE_KEY_BLOCK, ''), 'latin1');
}
