/**
 * `npm run bench`: speed and memory, measured in one run and reported as figures and ratios
 * (the machine is shared and noisy: compare ratios, not absolute times, across runs).
 *
 * 1. The bundled sample: `scan --dump fixtures/dumps/lab-1.26`, median wall time of 5 runs, peak RSS.
 * 2. Scale (DESIGN.md "Scale"): a synthetic dump of KP_BENCH_NODES nodes (default 5000) and
 *    KP_BENCH_PODS pods (default 150000); the cost of only reading its lists vs. a full scan of
 *    every check, wall time and peak RSS of each, and their ratio (target ≤ 1.5×, < 1 GB).
 * 3. Rendering: the HTML's size and render time, and the PDF's time (real Chromium, A4), for
 *    the sample report and for a synthetic report of KP_BENCH_FINDINGS findings (default 5000).
 *    Skipped with KP_BENCH_RENDER=0; the PDF is skipped when no browser is found.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_CONFIG } from '../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../src/engine/registry.js';
import { scan as runScan } from '../src/engine/scan.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { findBrowser } from '../src/render/browser.js';
import { renderHtml } from '../src/render/html.js';
import { renderPdf } from '../src/render/pdf.js';
import type { Report } from '../src/report/model.js';
import { DumpSource } from '../src/sources/dump.js';
import { writeSyntheticDump } from './synthetic.js';
import { syntheticReport } from './synthetic-report.js';

interface Measure {
  wallMs: number;
  maxRssBytes: number;
  cpuMs: number;
  code: number | null;
}

async function measure(args: string[]): Promise<Measure> {
  const out = join(tmpdir(), `kp-bench-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const start = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', join(PACKAGE_ROOT, 'dist', 'bench', 'probe.js'), ...args], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, KP_BENCH_OUT: out, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallMs = Math.round(performance.now() - start);
  const probe = JSON.parse(await readFile(out, 'utf8')) as { maxRssBytes: number; cpuMs: number };
  await rm(out, { force: true });
  return { wallMs, code, ...probe };
}

const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
const size = (b: number): string => (b < 2 ** 20 ? `${(b / 1024).toFixed(0)} KiB` : `${(b / 2 ** 20).toFixed(2)} MiB`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cli = join(PACKAGE_ROOT, 'bin', 'kube-preflight.js');

async function sample(): Promise<void> {
  const runs: Measure[] = [];
  for (let i = 0; i < 5; i++) runs.push(await measure([cli, 'scan', '--dump', 'fixtures/dumps/lab-1.26', '--now', '2026-11-23T07:00:18Z', '--format', 'json', '-q']));
  console.log(`sample dump (lab-1.26), all checks: median wall ${median(runs.map((r) => r.wallMs))} ms, CPU ${median(runs.map((r) => r.cpuMs))} ms, peak RSS ${mb(Math.max(...runs.map((r) => r.maxRssBytes)))} (exit ${runs[0]!.code})`);
}

async function scale(): Promise<void> {
  const nodes = Number(process.env.KP_BENCH_NODES ?? 5000);
  const pods = Number(process.env.KP_BENCH_PODS ?? 150_000);
  const dir = await mkdtemp(join(tmpdir(), 'kp-bench-dump-'));
  try {
    const t0 = performance.now();
    const counts = await writeSyntheticDump(dir, { nodes, pods, namespaces: 500 });
    console.log(`synthetic dump: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')} (written in ${Math.round(performance.now() - t0)} ms)`);
    const read = await measure([join(PACKAGE_ROOT, 'dist', 'bench', 'read-lists.js'), dir]);
    const scan = await measure([cli, 'scan', '--dump', dir, '--now', '2026-11-23T07:00:18Z', '--format', 'json', '-q']);
    const noDrain = await measure([cli, 'scan', '--dump', dir, '--now', '2026-11-23T07:00:18Z', '--format', 'json', '-q', '--skip', 'pdb-drain-plan']);
    console.log(`read the lists only:  wall ${read.wallMs} ms, peak RSS ${mb(read.maxRssBytes)}`);
    console.log(`full scan, all checks: wall ${scan.wallMs} ms, peak RSS ${mb(scan.maxRssBytes)} (exit ${scan.code})`);
    console.log(`full scan without the drain simulation (--skip pdb-drain-plan): wall ${noDrain.wallMs} ms, peak RSS ${mb(noDrain.maxRssBytes)}`);
    console.log(`ratio scan / read: ${(scan.wallMs / read.wallMs).toFixed(2)}× time (${(noDrain.wallMs / read.wallMs).toFixed(2)}× without the drain simulation), ${mb(scan.maxRssBytes)} peak`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function renderings(): Promise<void> {
  const source = await DumpSource.open(join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26'));
  let sampleReport: Report;
  try {
    sampleReport = (await runScan({ source, registry: new Registry(await loadBuiltinChecks()), config: EMPTY_CONFIG, now: new Date('2026-11-23T07:00:18Z'), failOn: 'critical', options: { requestTimeoutMs: 30_000 } })).report;
  } finally {
    await source.close();
  }
  const n = Number(process.env.KP_BENCH_FINDINGS ?? 5000);
  const browser = await findBrowser().catch((e: Error) => e);
  for (const [name, report] of [['sample report', sampleReport], [`synthetic report of ${n} findings`, syntheticReport(n)]] as const) {
    const times: number[] = [];
    let html = '';
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      html = renderHtml(report);
      times.push(performance.now() - t0);
    }
    let pdf = 'PDF skipped (no browser)';
    if (!(browser instanceof Error)) {
      const t0 = performance.now();
      const bytes = await renderPdf(report, { paper: 'A4' });
      const ms = Math.round(performance.now() - t0);
      const file = join(tmpdir(), `kp-bench-${process.pid}.pdf`);
      await writeFile(file, bytes);
      let pages = '';
      try {
        pages = `, ${/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1] ?? '?'} pages`;
      } catch {
        // pdfinfo (poppler-utils) not installed: no page count
      }
      await rm(file, { force: true });
      pdf = `PDF (A4, ${browser.path}) ${ms} ms, ${size(bytes.length)}${pages}`;
    }
    console.log(`${name}: HTML ${size(Buffer.byteLength(html))} in ${Math.round(median(times))} ms (median of 3); ${pdf}`);
  }
}

await sample();
if (process.env.KP_BENCH_RENDER !== '0') await renderings();
if (process.env.KP_BENCH_SCALE !== '0') await scale();
