/**
 * The cost of loading an offline dump, against its floor (every JSON file read and parsed,
 * nothing else: `read-lists.ts`), measured in child processes: wall time, CPU time (every
 * thread) and peak RSS.
 *
 *   node dist/bench/load.js gen DIR [nodes pods]     synthetic dump (default 5000 nodes, 150000 pods)
 *   node dist/bench/load.js gen-helm DIR [releases revisions]   lab dump + Helm 3 release Secrets (default 1000 × 10)
 *   node dist/bench/load.js gen-big DIR FILE         single-file dump: every pod of DIR in one List (FILE)
 *   node dist/bench/load.js floor FILE               the floor of a single-file dump (read, JSON.parse)
 *   node dist/bench/load.js load DIR [KEY,KEY…] [--fingerprint]   one load of every built-in input (or KEYs)
 *   node dist/bench/load.js compare DIR [KEYS|-] ROOT…   floor, then the load from each package ROOT, side by side (DIR may be a .json file)
 *
 * `--fingerprint` prints the SHA-256 of the loaded inputs (JSON), to check that two builds load
 * the same values. A `compare` ROOT is a built copy of the package (its `dist/bench/load.js`).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../src/paths.js';
import { DumpSource } from '../src/sources/dump.js';
import { INPUTS } from '../src/sources/inputs.js';
import { writeSyntheticDump } from './synthetic.js';

interface Measure {
  wallMs: number;
  cpuMs: number;
  maxRssBytes: number;
  out: string;
}

async function measure(root: string, script: string, args: string[]): Promise<Measure> {
  const probeOut = join(tmpdir(), `kp-load-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const start = performance.now();
  let out = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', join(root, 'dist', 'bench', 'probe.js'), join(root, 'dist', 'bench', script), ...args],
      {
        env: { ...process.env, KP_BENCH_OUT: probeOut },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallMs = Math.round(performance.now() - start);
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${code}`);
  const probe = JSON.parse(await readFile(probeOut, 'utf8')) as { maxRssBytes: number; cpuMs: number };
  await rm(probeOut, { force: true });
  return { wallMs, ...probe, out: out.trim() };
}

async function load(dir: string, keys: string | undefined, fingerprint: boolean): Promise<void> {
  const defs = keys ? keys.split(',').map((k) => INPUTS.get(k)!) : [...INPUTS.values()];
  const source = await DumpSource.open(dir);
  try {
    const inputs = await source.load(defs, { requestTimeoutMs: 30_000 });
    await source.digest();
    let objects = 0;
    for (const c of inputs.values()) objects += c.count ?? 0;
    let line = `${objects} values`;
    if (fingerprint) {
      const h = createHash('sha256');
      for (const [k, c] of [...inputs].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${k}\n${JSON.stringify(c)}\n`);
      h.update(`${source.info.sha256}\n${JSON.stringify(source.info.warnings)}`);
      line += ` fingerprint ${h.digest('hex').slice(0, 16)}`;
    }
    process.stdout.write(`${line}\n`);
  } finally {
    await source.close();
  }
}

/** Helm 3 release Secrets as the Secret driver writes them, `revisions` per release, the last one deployed. */
async function genHelm(dir: string, releases: number, revisions: number): Promise<void> {
  const lab = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
  await cp(lab, dir, { recursive: true });
  const manifest = (r: number): string =>
    Array.from(
      { length: 12 },
      (_, k) =>
        `---\n# Source: app/templates/part-${k}.yaml\napiVersion: ${k % 3 === 0 ? 'apps/v1' : 'v1'}\nkind: ${k % 3 === 0 ? 'Deployment' : 'ConfigMap'}\nmetadata:\n  name: rel-${r}-part-${k}\n  labels:\n    app.kubernetes.io/instance: rel-${r}\ndata:\n${Array.from({ length: 30 }, (_, j) => `  key-${j}: "value ${j} of part ${k} of release ${r}"`).join('\n')}\n`,
    ).join('');
  const items: unknown[] = [];
  for (let r = 0; r < releases; r++) {
    for (let v = 1; v <= revisions; v++) {
      const status = v === revisions ? 'deployed' : 'superseded';
      const release = {
        name: `rel-${r}`,
        namespace: `team-${r % 50}`,
        version: v,
        info: { status },
        chart: { metadata: { name: 'app', version: `1.${v}.0` }, values: { password: 'hunter2-not-a-real-secret' } },
        manifest: manifest(r),
        hooks: [],
      };
      const payload = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
      items.push({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'helm.sh/release.v1',
        metadata: {
          namespace: `team-${r % 50}`,
          name: `sh.helm.release.v1.rel-${r}.v${v}`,
          resourceVersion: String(100000 + r * revisions + v),
          labels: { owner: 'helm', name: `rel-${r}`, status, version: String(v) },
        },
        data: { release: Buffer.from(payload).toString('base64') },
      });
    }
  }
  const labSecrets = JSON.parse(await readFile(join(lab, 'resources', 'secrets.json'), 'utf8')) as { items: unknown[] };
  await writeFile(
    join(dir, 'resources', 'secrets.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: {}, items: [...labSecrets.items, ...items] }),
  );
}

/** Writes every pod of the paged dump `dir` into one List, without holding the text whole. */
async function genBig(dir: string, file: string): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  const out = createWriteStream(file);
  const write = (s: string): Promise<void> => new Promise((res) => (out.write(s) ? res() : out.once('drain', res)));
  await write('{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[');
  let first = true;
  const pages = (await readdir(join(dir, 'resources', 'pods'))).sort();
  for (const p of pages) {
    const list = JSON.parse(await readFile(join(dir, 'resources', 'pods', p), 'utf8')) as { items: unknown[] };
    for (const item of list.items) {
      await write(`${first ? '' : ','}\n${JSON.stringify(item)}`);
      first = false;
    }
  }
  await write(']}\n');
  await new Promise<void>((res) => out.end(res));
}

const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
const row = (name: string, m: Measure, floor?: Measure): string =>
  `${name.padEnd(44)} wall ${String(m.wallMs).padStart(6)} ms  CPU ${String(m.cpuMs).padStart(6)} ms  peak RSS ${mb(m.maxRssBytes).padStart(8)}${floor ? `  ${(m.cpuMs / floor.cpuMs).toFixed(2)}× floor CPU, ${(m.wallMs / floor.wallMs).toFixed(2)}× wall` : ''}  ${m.out}`;

const [cmd, dir, ...rest] = process.argv.slice(2);
if (!dir) throw new Error('usage: see the comment at the top of bench/load.ts');
if (cmd === 'gen') {
  await rm(dir, { recursive: true, force: true });
  const counts = await writeSyntheticDump(dir, { nodes: Number(rest[0] ?? 5000), pods: Number(rest[1] ?? 150_000), namespaces: 500 });
  console.log(counts);
} else if (cmd === 'gen-helm') {
  await rm(dir, { recursive: true, force: true });
  await genHelm(dir, Number(rest[0] ?? 1000), Number(rest[1] ?? 10));
} else if (cmd === 'gen-big') {
  await genBig(dir, rest[0]!);
} else if (cmd === 'load') {
  await load(dir, rest[0] && rest[0] !== '-' && !rest[0].startsWith('--') ? rest[0] : undefined, rest.includes('--fingerprint'));
} else if (cmd === 'floor') {
  // The floor of a single-file dump: read it and JSON.parse it whole.
  const doc = JSON.parse(await readFile(dir, 'utf8')) as { items?: unknown[] };
  process.stdout.write(`${doc.items?.length ?? 1}\n`);
} else if (cmd === 'compare') {
  const [keys, ...roots] = rest;
  const floor = dir.endsWith('.json')
    ? await measure(PACKAGE_ROOT, 'load.js', ['floor', dir])
    : await measure(PACKAGE_ROOT, 'read-lists.js', [dir]);
  console.log(row('floor (read + JSON.parse)', floor));
  for (const root of roots)
    console.log(row(`load ${root}`, await measure(root, 'load.js', ['load', dir, keys ?? '-', '--fingerprint']), floor));
} else {
  throw new Error(`unknown command ${cmd}`);
}
