/**
 * Resource limits (README, "Limits"): archive bombs, oversized files and entries, entry
 * counts, files that are not regular files, corrupt archives, oversized Helm payloads and
 * API responses. Every bomb here is small on disk and trips a lowered limit.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FatalError } from '../../src/contract/errors.js';
import { summarizeHelmRelease } from '../../src/k8s/helm.js';
import type { KubeObject } from '../../src/k8s/objects.js';
import { R } from '../../src/k8s/resources.js';
import { DEFAULT_LIMITS, formatBytes, parseBytes, setLimits } from '../../src/limits.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DumpSource } from '../../src/sources/dump.js';
import { streamJsonObjects } from '../../src/sources/parse-stream.js';
import { nodesInput } from '../../src/sources/inputs/core.js';
import { TestApiServer } from '../support/apiserver.js';
import { namesInput, openTestLive, tempDir, type TempDir } from '../support/live.js';

const MiB = 1024 * 1024;
const NODES = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }] });

let work: string;
/** The dumps' temporary folders go here (TMPDIR), so the tests see what is left behind. */
let temps: string;
const savedTmp = process.env.TMPDIR;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-limits-test-'));
  temps = join(work, 'tmp');
  await mkdir(temps);
  process.env.TMPDIR = temps;
});
afterEach(async () => {
  setLimits(DEFAULT_LIMITS);
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  await rm(work, { recursive: true, force: true });
});

/** Writes `files` (path → content, or a size in bytes of zeros) under `work/name` and archives that folder. */
async function archive(name: string, files: Record<string, string | number>): Promise<string> {
  for (const [p, c] of Object.entries(files)) {
    await mkdir(join(work, name, p, '..'), { recursive: true });
    await writeFile(join(work, name, p), typeof c === 'number' ? Buffer.alloc(c) : c);
  }
  const file = join(work, `${name}.tar.gz`);
  await tar.c({ gzip: true, file, cwd: work }, [name]);
  return file;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e as Error,
  );
}

describe('parseBytes and formatBytes', () => {
  it('reads bytes and Kubernetes-style suffixes', () => {
    expect(parseBytes('1048576')).toBe(MiB);
    expect(parseBytes('512Mi')).toBe(512 * MiB);
    expect(parseBytes('2Gi')).toBe(2 * 1024 * MiB);
    expect(parseBytes('1G')).toBe(1e9);
    expect(parseBytes('1.5KiB')).toBe(1536);
    expect(parseBytes('0')).toBeUndefined();
    expect(parseBytes('ten')).toBeUndefined();
    expect(formatBytes(4 * 1024 * MiB)).toBe('4 GiB');
    expect(formatBytes(1000)).toBe('1000 bytes');
  });
});

describe('dump archives within the limits', () => {
  it('an archive that expands past --max-dump-bytes is fatal, and its temp folder is removed', async () => {
    setLimits({ maxDumpBytes: 2 * MiB });
    const file = await archive('bomb', { 'resources/a.json': MiB, 'resources/b.json': MiB, 'resources/c.json': MiB });
    const e = await failure(DumpSource.open(file));
    expect(e).toBeInstanceOf(FatalError);
    expect(e.message).toMatch(
      /^dump .*bomb\.tar\.gz: the expanded size \(at entry bomb\/resources\/c\.json\) is above the limit of 2 MiB \(raise it with --max-dump-bytes or \$KUBE_PREFLIGHT_MAX_DUMP_BYTES\)$/,
    );
    expect(await readdir(temps)).toEqual([]);
  });

  it('an archive with more than --max-dump-files entries is fatal', async () => {
    setLimits({ maxDumpFiles: 3 });
    const file = await archive('many', Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`resources/f${i}.json`, '{}'])));
    const e = await failure(DumpSource.open(file));
    expect(e.message).toMatch(/many\.tar\.gz: the number of entries is above the limit of 3 files \(raise it with --max-dump-files/);
    expect(await readdir(temps)).toEqual([]);
  });

  it('an entry above --max-file-bytes is not extracted: its input is failed, the rest is read', async () => {
    setLimits({ maxFileBytes: MiB });
    const file = await archive('big', { 'resources/nodes.json': NODES, 'resources/pods.json': 2 * MiB });
    const src = await DumpSource.open(file);
    try {
      const pods = namesInput('pods', R.pods);
      const out = await src.load([nodesInput, pods], { requestTimeoutMs: 1000 });
      expect(out.get('nodes')!.status).toBe('ok');
      expect(out.get('pods')).toMatchObject({
        status: 'failed',
        reason:
          'resources/pods.json: 2097152 bytes is above the limit of 1 MiB (raise it with --max-file-bytes or $KUBE_PREFLIGHT_MAX_FILE_BYTES); not extracted',
      });
    } finally {
      await src.close();
    }
    expect(await readdir(temps)).toEqual([]);
    const alone = await archive('alone', { 'resources/pods.json': 2 * MiB });
    const only = await DumpSource.open(alone);
    expect((await only.load([namesInput('pods', R.pods)], { requestTimeoutMs: 1000 })).get('pods')!.reason).toMatch(
      /^resources\/pods\.json: 2097152 bytes is above/,
    );
    await only.close();
  });

  it('a truncated archive is one error naming it and where it broke; nothing is left behind', async () => {
    const files = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`resources/r${i % 20}/f${i}.json`, `${i}`.repeat(3000)]));
    const file = await archive('cut', files);
    const whole = await readFile(file);
    await writeFile(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const e = await failure(DumpSource.open(file));
    expect(e).toBeInstanceOf(FatalError);
    expect(e.message).toMatch(
      /^dump .*cut\.tar\.gz: truncated or corrupt after entry cut\/resources\/r\d+\/f\d+\.json \(gzip: unexpected end of file\)$/,
    );
    expect(await readdir(temps)).toEqual([]);
    await writeFile(file, 'not gzip');
    expect((await failure(DumpSource.open(file))).message).toMatch(
      /cut\.tar\.gz: not a gzip file, or corrupt \(gzip: incorrect header check\)$/,
    );
  });

  it('links, and entries leaving the folder, are not extracted', async () => {
    await mkdir(join(work, 'links', 'resources'), { recursive: true });
    await writeFile(join(work, 'links', 'resources', 'nodes.json'), NODES);
    await symlink('/etc/passwd', join(work, 'links', 'resources', 'passwd.json'));
    const file = join(work, 'links.tar.gz');
    await tar.c({ gzip: true, file, cwd: work }, ['links']);
    const src = await DumpSource.open(file);
    expect(src.info.warnings).toEqual([
      `${file}: entry links/resources/passwd.json is a SymbolicLink, not a file or folder; not extracted`,
    ]);
    await src.close();

    await writeFile(join(work, 'outside.json'), NODES);
    const up = join(work, 'up.tar.gz');
    await tar.c({ gzip: true, file: up, cwd: join(work, 'links'), preservePaths: true }, ['../outside.json']);
    expect((await failure(DumpSource.open(up))).message).toBe(
      `dump ${up}: entry ../outside.json: path contains '..' (TAR_ENTRY_ERROR); refused`,
    );
    expect(await readdir(temps)).toEqual([]);
  });
});

describe('dump folders within the limits', () => {
  it('a file above --max-file-bytes is not read; FIFOs and links out of the dump are skipped', async () => {
    setLimits({ maxFileBytes: MiB });
    const dir = join(work, 'folder');
    await mkdir(join(dir, 'resources'), { recursive: true });
    await writeFile(join(dir, 'resources', 'pods.json'), Buffer.alloc(MiB + 1));
    await writeFile(join(work, 'nodes.json'), NODES);
    await symlink(join(work, 'nodes.json'), join(dir, 'resources', 'nodes.json'));
    await writeFile(join(dir, 'inside.json'), NODES);
    await symlink(join(dir, 'inside.json'), join(dir, 'resources', 'nodes2.json'));
    execFileSync('mkfifo', [join(dir, 'resources', 'pipe.json')]);
    const src = await DumpSource.open(dir);
    try {
      expect(src.info.warnings).toEqual([
        expect.stringMatching(/^resources\/nodes\.json: a symbolic link out of the dump \(to .*nodes\.json\); skipped$/),
        'resources/pipe.json: a FIFO, not a regular file; skipped',
      ]);
      const out = await src.load([nodesInput, namesInput('pods', R.pods)], { requestTimeoutMs: 1000 });
      expect(out.get('nodes')).toMatchObject({ status: 'ok', value: [expect.objectContaining({ name: 'n1' })] });
      expect(out.get('pods')!.reason).toBe(
        'resources/pods.json: 1048577 bytes is above the limit of 1 MiB (raise it with --max-file-bytes or $KUBE_PREFLIGHT_MAX_FILE_BYTES); not read',
      );
    } finally {
      await src.close();
    }
  });

  it('more files than --max-dump-files is fatal', async () => {
    setLimits({ maxDumpFiles: 2 });
    const dir = join(work, 'many');
    await mkdir(join(dir, 'resources'), { recursive: true });
    for (const n of ['a', 'b', 'c']) await writeFile(join(dir, 'resources', `${n}.json`), '{}');
    expect((await failure(DumpSource.open(dir))).message).toBe(
      `dump ${dir}: the number of files is above the limit of 2 files (raise it with --max-dump-files or $KUBE_PREFLIGHT_MAX_DUMP_FILES)`,
    );
  });

  it('--dump on a FIFO is refused at once, whatever its name', async () => {
    const fifo = join(work, 'dump.tar.gz');
    execFileSync('mkfifo', [fifo]);
    const t = Date.now();
    const e = await failure(DumpSource.open(fifo));
    expect(e.message).toBe(`dump ${fifo}: a FIFO, not a folder or a regular file; not read`);
    expect(Date.now() - t).toBeLessThan(2000);
  });
});

describe('streamed JSON objects', () => {
  it('an object above --max-object-bytes fails its file, before it is assembled', async () => {
    setLimits({ maxObjectBytes: 1024 });
    const small = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } };
    const big = { ...small, metadata: { name: 'b', annotations: { x: 'y'.repeat(2000) } } };
    const seen: string[] = [];
    const list = (items: unknown[]): Readable => Readable.from([JSON.stringify({ apiVersion: 'v1', kind: 'List', items })]);
    await streamJsonObjects('pods.json', list([small, small]), (o) => seen.push(o.metadata.name!));
    expect(seen).toEqual(['a', 'a']);
    await expect(streamJsonObjects('pods.json', list([small, big]), () => undefined)).rejects.toThrow(
      'pods.json: item 1 of the list is above the limit of 1 KiB (raise it with --max-object-bytes or $KUBE_PREFLIGHT_MAX_OBJECT_BYTES)',
    );
    await expect(streamJsonObjects('one.json', Readable.from([JSON.stringify(big)]), () => undefined)).rejects.toThrow(
      'one.json: the object is above the limit of 1 KiB',
    );
  });
});

describe('Helm release payloads', () => {
  it('a payload inflating past --max-helm-release-bytes is an error of that release, not read', () => {
    setLimits({ maxHelmReleaseBytes: MiB });
    const bomb = gzipSync(Buffer.alloc(8 * MiB));
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'sh.helm.release.v1.web.v1',
        namespace: 'prod',
        labels: { owner: 'helm', name: 'web', status: 'deployed', version: '1' },
      },
      data: { release: bomb.toString('base64') },
    };
    expect(summarizeHelmRelease(cm)).toMatchObject({
      name: 'web',
      objects: [],
      error:
        'the decompressed release payload is above the limit of 1 MiB (raise it with --max-helm-release-bytes or $KUBE_PREFLIGHT_MAX_HELM_RELEASE_BYTES); not read',
    });
  });
});

describe('live responses', () => {
  let server: TestApiServer;
  let dir: TempDir;
  let kubeconfig: string;
  beforeAll(async () => {
    server = await TestApiServer.start(join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26'));
    dir = tempDir();
    kubeconfig = server.writeKubeconfig(join(dir.path, 'kubeconfig'));
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('a response body above --max-response-bytes fails that read; the others are read', async () => {
    setLimits({ maxResponseBytes: 16 * 1024 });
    const { source } = await openTestLive(server, kubeconfig);
    try {
      const out = await source.read([namesInput('pods', R.pods), namesInput('namespaces', R.namespaces)], source.context.options);
      expect(out.get('namespaces')!.status).toBe('ok');
      expect(out.get('pods')).toMatchObject({
        status: 'failed',
        reason:
          'GET /api/v1/pods: the response body is above the limit of 16 KiB (raise it with --max-response-bytes or $KUBE_PREFLIGHT_MAX_RESPONSE_BYTES)',
      });
    } finally {
      await source.close();
    }
  });
});
