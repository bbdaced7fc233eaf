/**
 * Loading a dump with the loading thread (`load-worker.ts`, sharing the resources files with
 * the main thread) gives the report the main thread alone gives: same findings, inputs
 * (counts, sources, partial parts), warnings, verdict and exit code, byte for byte but for
 * durations. The thread's own answers (its file read, its one-line errors) are those of
 * `readObjects` on the main thread, and no secret value crosses. The CLI runs the built
 * bundle (`npm test` builds first); `KUBE_PREFLIGHT_LOAD_WORKER` forces the thread (1) or the
 * main thread alone (0) whatever the dump's size.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/contract/report.js';
import { DEFAULT_LIMITS } from '../../src/limits.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { ResourceInputDef } from '../../src/sources/input-def.js';
import { INPUTS } from '../../src/sources/inputs.js';
import { readForParse, readObjects, type LoadAnswer } from '../../src/sources/load-file.js';
import type { LoadReply, LoadTask, LoadWorkerData } from '../../src/sources/load-worker.js';
import { ObjectNormalizer } from '../../src/sources/source.js';

const work = mkdtempSync(join(tmpdir(), 'kp-load-worker-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const NOW = '--now=2026-11-23T07:00:18Z';
const CANARY = 'kpCanaryLoadWorker5d2b8e17';

/** The report without what depends on timing (durations, the time it was written). */
function stable(dir: string): unknown {
  const drop = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(drop);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== 'durationMs' && k !== 'generatedAt')
          .map(([k, x]) => [k, drop(x)]),
      );
    return v;
  };
  return drop(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
}

/** Scans `dump` with the loading thread (`worker` 1), without (0), or as the dump's size decides (undefined); `threads`: how many threads ran JavaScript (each writes a CPU profile). */
async function scanWith(
  dump: string,
  worker: 0 | 1 | undefined,
  name: string,
): Promise<{ code: number | null; stderr: string; out: string; threads: number }> {
  const out = join(work, name);
  const prof = join(work, `${name}-prof`);
  const args = ['--cpu-prof', `--cpu-prof-dir=${prof}`, join(PACKAGE_ROOT, 'bin', 'kube-preflight.js'), 'scan', '--dump', dump, NOW];
  const child = spawn(process.execPath, [...args, '--format', 'json', '-o', out], {
    env: { ...process.env, NO_COLOR: '1', KUBE_PREFLIGHT_LOAD_WORKER: worker === undefined ? undefined : String(worker) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr: stderr.replaceAll(out, 'OUT'), out, threads: readdirSync(prof).length };
}

interface Pod {
  metadata: Record<string, unknown> & { name: string };
}

const list = (items: unknown[]): string => JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: {}, items });

/**
 * The sample dump plus: a newer and an older copy of one of its pods in two page files, a pod
 * whose labels are not a map, a Pod in a file named after StatefulSets, a file of invalid JSON,
 * a YAML file of only comments, a file that is not UTF-8 text, and a Secret holding a canary
 * value in a page file (the files the loading thread takes first).
 */
function hostileDump(): string {
  const dir = join(work, 'dump');
  cpSync('fixtures/dumps/lab-1.26', dir, { recursive: true });
  const pods = (JSON.parse(readFileSync(join(dir, 'resources', 'pods.json'), 'utf8')) as { items: Pod[] }).items;
  const copy = (rv: string, labels?: unknown): Pod => {
    const p = structuredClone(pods[1]!);
    p.metadata.resourceVersion = rv;
    if (labels !== undefined) p.metadata = { ...p.metadata, name: `${p.metadata.name}-bad`, labels };
    return p;
  };
  const res = join(dir, 'resources');
  mkdirSync(join(res, 'pods'));
  mkdirSync(join(res, 'secrets'));
  writeFileSync(join(res, 'pods', '0001.json'), list([copy('999999'), copy('5', 'not-a-map')]));
  writeFileSync(join(res, 'pods', '0002.json'), list([copy('1')]));
  writeFileSync(join(res, 'statefulsets.json'), list([copy('7')]));
  writeFileSync(join(res, 'services.json'), '{"kind": "List", "items": [{"apiVersion": "v1",\n "kind": "Service" "x"');
  writeFileSync(join(res, 'notes.yaml'), '# only a comment\n');
  writeFileSync(join(res, 'leases.coordination.k8s.io.json'), Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x7d]));
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'default', resourceVersion: '3' },
    type: 'Opaque',
    data: { password: Buffer.from(CANARY).toString('base64') },
    stringData: { token: CANARY },
  };
  writeFileSync(join(res, 'secrets', '0001.json'), list([secret]));
  return dir;
}

const dump = hostileDump();

describe('loading with the loading thread', () => {
  it('gives the sample dump the report the main thread gives', async () => {
    const here = await scanWith('fixtures/dumps/lab-1.26', 0, 'sample-0');
    const shared = await scanWith('fixtures/dumps/lab-1.26', 1, 'sample-1');
    const auto = await scanWith('fixtures/dumps/lab-1.26', undefined, 'sample-auto');
    // The main thread and the hashing thread; then the loading thread too. The sample (1 MB) is read without it.
    expect([here.threads, shared.threads, auto.threads]).toEqual([2, 3, 2]);
    expect(stable(auto.out)).toEqual(stable(here.out));
    expect(shared.code).toBe(here.code);
    expect(shared.stderr).toBe(here.stderr);
    expect(stable(shared.out)).toEqual(stable(here.out));
  }, 120_000);

  it('keeps duplicates, bad objects, bad files and secrets as the main thread does', async () => {
    const here = await scanWith(dump, 0, 'hostile-0');
    const shared = await scanWith(dump, 1, 'hostile-1');
    expect([here.threads, shared.threads]).toEqual([2, 3]);
    expect(shared.code).toBe(here.code);
    expect(shared.stderr).toBe(here.stderr);
    const report = stable(shared.out) as Report;
    expect(report).toEqual(stable(here.out));
    const warnings = report.metadata.warnings;
    expect(warnings).toContain("resources/services.json:2:20: invalid JSON: expected ',' or '}' after a property value (skipped)");
    expect(warnings.filter((w) => w.startsWith('resources/notes.yaml: no object and no List'))).toHaveLength(1);
    expect(
      warnings.filter((w) => w.startsWith('resources/statefulsets.json item 0: a Pod (v1) in a file named after statefulsets')),
    ).toHaveLength(1);
    const podsInput = report.inputs.find((i) => i.key === 'pods')!;
    expect(podsInput.partial?.map((p) => p.reason)).toEqual([
      'resources/pods/0001.json item 1 .metadata.labels: expected an object, got a string',
    ]);
    // The copy with the newest resourceVersion (pods/0001.json) replaced the sample's; the older one (0002) did not.
    expect(podsInput.sources).toContain('resources/pods/0001.json');
    expect(podsInput.sources).not.toContain('resources/pods/0002.json');
    for (const f of readdirSync(shared.out)) expect(readFileSync(join(shared.out, f), 'utf8')).not.toContain(CANARY);
    expect(shared.stderr).not.toContain(CANARY);
  }, 120_000);

  it('answers each file as the main thread reads it, errors and all, and sends no secret', async () => {
    const keys = [...INPUTS.values()].filter((d): d is ResourceInputDef => d.type === 'resources').map((d) => d.key);
    const normalizer = new ObjectNormalizer(keys.map((k) => INPUTS.get(k) as ResourceInputDef));
    const files: Array<Omit<LoadTask, 'i' | 'abs'>> = [
      { rel: 'resources/pods/0001.json', hint: 'pods' },
      { rel: 'resources/statefulsets.json', hint: 'statefulsets' },
      { rel: 'resources/services.json', hint: 'services' },
      { rel: 'resources/notes.yaml' },
      { rel: 'resources/leases.coordination.k8s.io.json', hint: 'leases.coordination.k8s.io' },
      { rel: 'resources/secrets/0001.json', hint: 'secrets' },
      { rel: 'resources/customresourcedefinitions.apiextensions.k8s.io.json', hint: 'customresourcedefinitions.apiextensions.k8s.io' },
      { rel: 'resources/missing.json', hint: 'pods' },
      { rel: 'resources/nodes.json', hint: 'nodes', unread: 'above the limit; not read' },
    ];
    const data: LoadWorkerData = { keys, limits: { ...DEFAULT_LIMITS } };
    const worker = new Worker(join(PACKAGE_ROOT, 'dist', 'src', 'sources', 'load-worker.js'), { workerData: data });
    const replies: LoadReply[] = [];
    const received = new Promise<void>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: LoadReply) => {
        replies.push(m);
        if (replies.length === files.length) resolve();
      });
    });
    files.forEach((f, i) => worker.postMessage({ i, abs: join(dump, f.rel), ...f } satisfies LoadTask));
    await received;
    await worker.terminate();
    // Answered in the order asked.
    expect(replies.map((r) => r.i)).toEqual(files.map((_, i) => i));
    for (const [i, f] of files.entries()) {
      const abs = join(dump, f.rel);
      const expected: LoadAnswer = await readObjects(abs, f.rel, f.hint, readForParse(abs, f.rel, f.unread), normalizer);
      expect(replies[i]!.answer, f.rel).toEqual(expected);
    }
    const errors = replies.map((r) => r.answer.error?.message);
    expect(errors[2]).toBe("resources/services.json:2:20: invalid JSON: expected ',' or '}' after a property value");
    expect(errors[3]).toMatch(/^resources\/notes\.yaml: no object and no List/);
    expect(replies[3]!.answer.error?.noObjects).toBe(true);
    expect(errors[4]).toMatch(/^resources\/leases\.coordination\.k8s\.io\.json: /);
    expect(errors[7]).toMatch(/^resources\/missing\.json: ENOENT/);
    expect(errors[8]).toBe('resources/nodes.json: above the limit; not read');
    for (const e of errors) expect(e ?? '').not.toMatch(/\n|\bat .*\.js:\d+/);
    // Heads cross only for a CRD and for an object of another kind than its file's name says.
    expect(replies[1]!.answer.objects.map((o) => o.head?.kind)).toEqual(['Pod']);
    expect(replies[0]!.answer.objects.every((o) => o.head === undefined)).toBe(true);
    expect(replies[6]!.answer.objects.length).toBeGreaterThan(0);
    expect(replies[6]!.answer.objects.every((o) => o.head?.kind === 'CustomResourceDefinition')).toBe(true);
    expect(JSON.stringify(replies)).not.toContain(CANARY);
    expect(JSON.stringify(replies)).not.toContain(Buffer.from(CANARY).toString('base64'));
  }, 60_000);
});
