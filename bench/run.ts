/**
 * `npm run bench`: what a scan costs, each figure next to the floor it is judged against,
 * measured in one run (the machine may be shared and noisy: quote ratios of one run).
 *
 * Floors. Offline: `bench/read-lists.ts`, reading every JSON file of the dump and
 * `JSON.parse`-ing it, nothing else. Live: `bench/live-client.ts`, the same GET requests and
 * pages as the scan, 4 at a time, parsed and dropped. A floor and its case run as pairs,
 * alternating; wall and CPU time are medians, peak RSS the largest seen; each process is
 * killed after KP_BENCH_TIMEOUT seconds (default 300) and reported as such.
 *
 * Sections (KP_BENCH_SECTIONS, comma-separated; default all):
 * - `sizes`: full scan (every check) of the bundled sample (no time target: its floor is mostly
 *   node's start) and of synthetic clusters of
 *   KP_BENCH_SIZES (default `1k,5k,10k`; `<n>k` = n×1,000 nodes and n×30,000 pods), 3 pairs
 *   (KP_BENCH_PAIRS), 1 for sizes from 10k (KP_BENCH_PAIRS_BIG). Targets: ≤ 1.5× the floor,
 *   peak RSS ≤ 1 GiB.
 * - `families`: `--checks <family>` on the reference size (KP_BENCH_REF, default 5k), 1 pair
 *   each (KP_BENCH_FAMILY_PAIRS), target ≤ 1.5×; and the shape `--checks pdb` with
 *   `maxParallelDrains: 20` (a `--config`), target ≤ 3×.
 * - `shapes`: pathological dumps, each against its own floor, 1 pair (KP_BENCH_SHAPE_PAIRS),
 *   target ≤ 3×: 2,000 and 4,000 namespaces × 5 RoleBindings (`--checks rbac`); 1,000 Helm 3
 *   releases × 10 revisions (`--checks certs`, `--checks apis`); required pod anti-affinity on
 *   every Deployment pod at KP_BENCH_SHAPE_SIZE (default 1k; `--checks pdb`);
 *   every pod in one pods.json at KP_BENCH_SINGLE_SIZE (default 5k: a 410 MB file), full scan;
 *   and, without a target, the bundled sample with each of those `--checks`: what the checks
 *   cost with next to no input.
 * - `render`: the HTML (size, median time of 3 in this process, and the median of 3 times headless
 *   Chromium takes to open the file up to its `load` event; target ≤ 2 s) and the PDF
 *   (`kube-preflight render --format pdf` as a process: time, pages by `pdfinfo`; target ≤ 60
 *   pages for the reference size) of the sample's report and of
 *   the reference size's report (from its scan). KP_BENCH_PDF=0 skips the PDFs.
 * - `live`: the reference size's dump served by the tests' loopback API server (in a process of
 *   its own, `bench/live-server.ts`), live scan against the client floor, 2 pairs
 *   (KP_BENCH_LIVE_PAIRS), and each one's time from spawn to its first request.
 *
 * Prints one table per section and writes every figure to `bench-results.json` in the
 * current folder. Temporary dumps go to the system temporary folder and are removed.
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Table from 'cli-table3';
import { FAMILIES } from '../src/contract/check.js';
import { loadReport } from '../src/report/baseline.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { renderHtml } from '../src/render/html.js';
import { htmlOpenTimes, pdfPages } from './rendering.js';
import { liveSection, type LiveResult } from './live.js';
import { measure, median, paired, type Paired } from './measure.js';
import { writeRbacDump } from './shapes-rbac.js';
import { antiAffinityShape, writeDrainConfig, writeHelmDump, writeSingleFileDump } from './shapes.js';
import { writeSyntheticDump } from './synthetic.js';

const env = process.env;
const GiB = 2 ** 30;
const NOW = '2026-11-23T07:00:18Z';
const CLI = join(PACKAGE_ROOT, 'bin', 'kube-preflight.js');
const FLOOR = join(PACKAGE_ROOT, 'dist', 'bench', 'read-lists.js');
const SAMPLE = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
const timeoutMs = Number(env.KP_BENCH_TIMEOUT ?? 300) * 1000;
const sections = new Set((env.KP_BENCH_SECTIONS ?? 'sizes,families,shapes,render,live').split(',').map((s) => s.trim()));
const num = (v: string | undefined, d: number): number => (v === undefined || v === '' ? d : Number(v));

/** `5k` → 5,000 nodes and 150,000 pods (30 a node). */
function parseSize(s: string): { label: string; nodes: number; pods: number } {
  const m = /^(\d+(?:\.\d+)?)k$/i.exec(s.trim());
  if (!m) throw new Error(`bench: size "${s}" is not <n>k (1k = 1,000 nodes and 30,000 pods)`);
  const n = Math.round(Number(m[1]) * 1000);
  return { label: `${m[1]}k`, nodes: n, pods: n * 30 };
}
const SIZES = (env.KP_BENCH_SIZES ?? '1k,5k,10k').split(',').map(parseSize);
const REF = parseSize(env.KP_BENCH_REF ?? '5k');
const SHAPE = parseSize(env.KP_BENCH_SHAPE_SIZE ?? '1k');
const SINGLE = parseSize(env.KP_BENCH_SINGLE_SIZE ?? '5k');

interface Row {
  section: string;
  case: string;
  /** What the floor read: JSON files and bytes (offline), or requests and bytes (live). */
  floorRead: string;
  target: number | null;
  result: Paired;
}

const rows: Row[] = [];
const notes: Record<string, unknown> & { totalSeconds?: number } = {};
const work = await mkdtemp(join(tmpdir(), 'kp-bench-'));

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
const secs = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
const bytes = (b: number): string => (b < 2 ** 20 ? `${(b / 1024).toFixed(0)} KiB` : `${(b / 2 ** 20).toFixed(0)} MiB`);

function floorRead(p: Paired): string {
  try {
    const r = JSON.parse(p.floorStdout) as { files: number; bytes: number };
    return `${r.files} JSON files, ${bytes(r.bytes)}`;
  } catch {
    return '?';
  }
}

function verdict(r: Paired, target: number | null): string {
  if (r.case.failure) return `FAILED: ${r.case.failure}`;
  if (r.floor.failure) return `floor failed: ${r.floor.failure}`;
  const over = [target !== null && r.wallRatio > target ? 'time' : '', r.case.maxRssBytes > GiB ? 'memory' : ''].filter(Boolean);
  return over.length ? `OVER (${over.join(', ')})` : 'ok';
}

/** Scan args for an offline dump (json report into `out`). */
const scanArgs = (dump: string, out: string, extra: string[] = []): string[] => [
  CLI,
  'scan',
  '--dump',
  dump,
  '--now',
  NOW,
  '--format',
  'json',
  '-o',
  out,
  '-q',
  ...extra,
];

/** Measures `extra` scan args against the floor of `dump`, `pairs` pairs, and records the row. */
async function compare(
  section: string,
  name: string,
  dump: string,
  extra: string[],
  pairs: number,
  target: number | null,
  out = join(work, 'out'),
): Promise<Row> {
  const result = await paired(
    () => measure([FLOOR, dump], { timeoutMs }),
    () => measure(scanArgs(dump, out, extra), { timeoutMs }),
    pairs,
  );
  const row: Row = { section, case: name, floorRead: floorRead(result), target, result };
  rows.push(row);
  console.log(
    `  ${name}: ${secs(result.case.wallMs)} vs floor ${secs(result.floor.wallMs)} (${result.wallRatio.toFixed(2)}×), peak ${mib(result.case.maxRssBytes)} — ${verdict(result, target)}`,
  );
  return row;
}

async function generate<T>(what: string, dir: string, gen: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true });
  const t0 = performance.now();
  const counts = await gen(dir);
  console.log(`  generated ${what} in ${secs(performance.now() - t0)}: ${JSON.stringify(counts)}`);
  return counts;
}

function printTable(section: string, title: string): void {
  const rs = rows.filter((r) => r.section === section);
  if (rs.length === 0) return;
  const t = new Table({
    head: [
      'case',
      'floor read',
      'floor wall',
      'scan wall',
      'wall ×',
      'floor CPU',
      'scan CPU',
      'CPU ×',
      'scan peak RSS',
      'pairs',
      `target`,
      'verdict',
    ],
    style: { head: [], border: [] },
  });
  for (const r of rs) {
    const p = r.result;
    t.push([
      r.case,
      r.floorRead,
      secs(p.floor.wallMs),
      secs(p.case.wallMs),
      `${p.wallRatio.toFixed(2)}×`,
      secs(p.floor.cpuMs),
      secs(p.case.cpuMs),
      `${p.cpuRatio.toFixed(2)}×`,
      mib(p.case.maxRssBytes),
      String(p.case.runs),
      r.target === null ? '≤ 1 GiB' : `≤ ${r.target}×, ≤ 1 GiB`,
      verdict(p, r.target),
    ]);
  }
  console.log(`\n${title}\n${t.toString()}`);
}

interface Rendering {
  report: string;
  findings: number;
  htmlBytes: number;
  htmlMs: number;
  /** Headless Chromium, file:// → `load` event, median of 3; null without a browser. */
  htmlOpenMs: number | null;
  pdfMs?: number;
  pdfProcessPeakRssBytes?: number;
  pdfBytes?: number;
  pdfPages?: number | null;
  pdfFailure?: string;
}
const rendering: Rendering[] = [];

/** Writes `html` to `file` and gives the median time headless Chromium takes to open it; null without a browser. */
async function openTime(html: string, file: string): Promise<number | null> {
  await writeFile(file, html);
  const times = await htmlOpenTimes(file, { timeoutMs });
  return times && median(times);
}

async function render(name: string, reportFile: string): Promise<void> {
  const report = await loadReport(reportFile, 'bench');
  const times: number[] = [];
  let html = '';
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    html = renderHtml(report);
    times.push(performance.now() - t0);
  }
  const entry: Rendering = {
    report: name,
    findings: report.findings.length,
    htmlBytes: Buffer.byteLength(html),
    htmlMs: median(times.map((t) => Math.round(t))),
    htmlOpenMs: await openTime(html, join(work, `html-${rendering.length}.html`)),
  };
  if (env.KP_BENCH_PDF !== '0') {
    const out = join(work, `pdf-${rendering.length}`);
    const m = await measure([CLI, 'render', reportFile, '--format', 'pdf', '-o', out, '-q'], { timeoutMs });
    const file = join(out, 'report.pdf');
    const size = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    Object.assign(entry, {
      pdfMs: m.wallMs,
      pdfProcessPeakRssBytes: m.maxRssBytes,
      pdfBytes: size,
      pdfPages: size ? pdfPages(file) : null,
    });
    if (m.code !== 0) entry.pdfFailure = m.timedOut ? 'timeout' : `exit ${m.code}: ${m.stderrTail}`;
  }
  rendering.push(entry);
}

let live: LiveResult | undefined;
const started = performance.now();
try {
  console.log(
    `kube-preflight bench — ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const sampleOut = join(work, 'sample-out');
  const refOut = join(work, 'ref-out');
  if (sections.has('sizes') || sections.has('render')) {
    console.log('\nsizes');
    // The sample's floor is little more than starting node: no time target, for reference only.
    await compare('sizes', 'sample lab-1.26, all checks', SAMPLE, [], num(env.KP_BENCH_PAIRS, 3), null, sampleOut);
  }
  const refDump = join(work, `dump-${REF.label}`);
  let refReady = false;
  if (sections.has('sizes')) {
    for (const size of SIZES) {
      const dir = join(work, `dump-${size.label}`);
      await generate(`${size.label} (${size.nodes} nodes, ${size.pods} pods)`, dir, (d) =>
        writeSyntheticDump(d, { nodes: size.nodes, pods: size.pods, namespaces: 500 }),
      );
      const pairs = size.nodes >= 10_000 ? num(env.KP_BENCH_PAIRS_BIG, 1) : num(env.KP_BENCH_PAIRS, 3);
      await compare(
        'sizes',
        `${size.label}: ${size.nodes} nodes / ${size.pods} pods, all checks`,
        dir,
        [],
        pairs,
        1.5,
        size.label === REF.label ? refOut : join(work, 'out'),
      );
      if (size.label === REF.label) refReady = true;
      else await rm(dir, { recursive: true, force: true });
    }
  }
  const needRef = sections.has('families') || sections.has('render') || sections.has('live');
  if (needRef && !refReady) {
    await generate(`${REF.label} reference (${REF.nodes} nodes, ${REF.pods} pods)`, refDump, (d) =>
      writeSyntheticDump(d, { nodes: REF.nodes, pods: REF.pods, namespaces: 500 }),
    );
    if (sections.has('render'))
      await compare(
        'sizes',
        `${REF.label}: ${REF.nodes} nodes / ${REF.pods} pods, all checks (for its report)`,
        refDump,
        [],
        1,
        1.5,
        refOut,
      );
  }
  if (sections.has('families')) {
    console.log(`\nfamilies (${REF.label})`);
    for (const f of FAMILIES)
      await compare('families', `${REF.label} --checks ${f}`, refDump, ['--checks', f], num(env.KP_BENCH_FAMILY_PAIRS, 1), 1.5);
    const config = await writeDrainConfig(join(work, 'drain-20.yaml'), 20);
    await compare(
      'shapes',
      `${REF.label} --checks pdb, maxParallelDrains: 20 (--config)`,
      refDump,
      ['--checks', 'pdb', '--config', config],
      num(env.KP_BENCH_FAMILY_PAIRS, 1),
      3,
    );
  }
  if (sections.has('render')) {
    console.log('\nrender');
    await render('sample lab-1.26', join(sampleOut, 'report.json'));
    await render(`${REF.label} synthetic`, join(refOut, 'report.json'));
  }
  if (sections.has('live')) {
    console.log(`\nlive (${REF.label} served on 127.0.0.1)`);
    live = await liveSection(refDump, work, CLI, num(env.KP_BENCH_LIVE_PAIRS, 2), timeoutMs);
    console.log(`  live scan ${secs(live.scan.wallMs)} vs client ${secs(live.client.wallMs)} (${live.wallRatio.toFixed(2)}×)`);
  }
  await rm(refDump, { recursive: true, force: true });

  if (sections.has('shapes')) {
    console.log('\nshapes');
    const pairs = num(env.KP_BENCH_SHAPE_PAIRS, 1);
    // What the same checks cost with next to no input: the part of a shape's time that no
    // floor of a small dump can cover.
    for (const f of ['rbac', 'certs', 'apis', 'pdb'])
      await compare('shapes', `sample lab-1.26, --checks ${f} (next to no input)`, SAMPLE, ['--checks', f], pairs, null);
    for (const namespaces of [2000, 4000]) {
      const dir = join(work, `rbac-${namespaces}`);
      await generate(`RBAC ${namespaces} namespaces × 5 RoleBindings`, dir, (d) =>
        writeRbacDump(d, { namespaces, bindingsPerNamespace: 5 }),
      );
      await compare('shapes', `${namespaces} namespaces × 5 RoleBindings, --checks rbac`, dir, ['--checks', 'rbac'], pairs, 3);
      await rm(dir, { recursive: true, force: true });
    }
    const helm = join(work, 'helm');
    await generate('Helm 1,000 releases × 10 revisions', helm, (d) => writeHelmDump(d, { releases: 1000, revisions: 10 }));
    for (const f of ['certs', 'apis'])
      await compare('shapes', `1,000 Helm releases × 10 revisions, --checks ${f}`, helm, ['--checks', f], pairs, 3);
    await rm(helm, { recursive: true, force: true });
    const anti = join(work, 'anti');
    await generate(`${SHAPE.label} with required pod anti-affinity`, anti, (d) => antiAffinityShape(d, SHAPE));
    await compare('shapes', `${SHAPE.label}, anti-affinity on every Deployment pod, --checks pdb`, anti, ['--checks', 'pdb'], pairs, 3);
    await rm(anti, { recursive: true, force: true });
    const single = join(work, 'single');
    await generate(`${SINGLE.label} with one pods.json`, single, (d) => writeSingleFileDump(d, SINGLE));
    const podsBytes = (await stat(join(single, 'resources', 'pods.json'))).size;
    await compare('shapes', `${SINGLE.label}, one pods.json of ${bytes(podsBytes)}, all checks`, single, [], pairs, 3);
    await rm(single, { recursive: true, force: true });
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

printTable('sizes', 'Full scan vs floor (read + JSON.parse every JSON file of the dump)');
printTable('families', `One family (--checks) vs floor, ${REF.label}`);
printTable('shapes', 'Pathological shapes, each vs its own floor');
if (rendering.length) {
  const t = new Table({
    head: [
      'report',
      'findings',
      'HTML size',
      'HTML time (median of 3)',
      'HTML open in Chromium',
      'PDF time (render process)',
      'PDF pages',
      'PDF size',
    ],
    style: { head: [], border: [] },
  });
  for (const r of rendering)
    t.push([
      r.report,
      String(r.findings),
      bytes(r.htmlBytes),
      `${r.htmlMs} ms`,
      r.htmlOpenMs === null ? 'no browser' : `${r.htmlOpenMs} ms`,
      r.pdfMs === undefined ? 'skipped' : r.pdfFailure ? `failed: ${r.pdfFailure}` : secs(r.pdfMs),
      r.pdfPages == null ? '?' : String(r.pdfPages),
      r.pdfBytes ? bytes(r.pdfBytes) : '',
    ]);
  console.log(`\nRendering\n${t.toString()}`);
}
if (live) {
  const t = new Table({ head: ['', 'wall', 'CPU', 'peak RSS', 'spawn → first request', 'requests'], style: { head: [], border: [] } });
  t.push([
    'live scan',
    secs(live.scan.wallMs),
    secs(live.scan.cpuMs),
    mib(live.scan.maxRssBytes),
    `${live.scan.firstRequestMs} ms`,
    `${live.scanGets} GET + ${live.scanReviews} access reviews`,
  ]);
  t.push([
    'client floor (same GETs, 4 at a time)',
    secs(live.client.wallMs),
    secs(live.client.cpuMs),
    mib(live.client.maxRssBytes),
    `${live.client.firstRequestMs} ms`,
    `${live.clientRequests} GET, ${bytes(live.clientBytes)}`,
  ]);
  t.push([
    'ratio',
    `${live.wallRatio.toFixed(2)}×`,
    `${live.cpuRatio.toFixed(2)}×`,
    '',
    '',
    live.scan.failure ? `scan FAILED: ${live.scan.failure}` : live.client.failure ? `client FAILED: ${live.client.failure}` : '',
  ]);
  console.log(`\nLive scan of ${REF.label} on a loopback API server vs a minimal client\n${t.toString()}`);
}
notes.totalSeconds = Math.round((performance.now() - started) / 1000);
const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverageAtEnd: loadavg() },
  settings: {
    sizes: SIZES.map((s) => s.label),
    reference: REF.label,
    shapeSize: SHAPE.label,
    singleFileSize: SINGLE.label,
    sections: [...sections],
    timeoutSeconds: timeoutMs / 1000,
  },
  targets: { fullScanWallRatio: 1.5, shapeWallRatio: 3, peakRssBytes: GiB },
  rows: rows.map((r) => ({
    section: r.section,
    case: r.case,
    floorRead: r.floorRead,
    target: r.target,
    verdict: verdict(r.result, r.target),
    floor: r.result.floor,
    scan: r.result.case,
    wallRatio: r.result.wallRatio,
    cpuRatio: r.result.cpuRatio,
  })),
  rendering,
  ...(live ? { live } : {}),
  ...notes,
};
await writeFile(join(process.cwd(), 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${notes.totalSeconds} s in all; figures written to bench-results.json`);
