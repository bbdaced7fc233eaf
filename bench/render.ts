/**
 * `node dist/bench/render.js REPORT.json [FORMAT…]`: what rendering an existing report costs.
 * Each format (default: json text markdown html pdf) is drawn by `kube-preflight render` in its
 * own process: wall time, peak RSS and the size of the file written; the PDF's page count. Then
 * the HTML is opened in headless Chromium (`puppeteer-core`, the browser `findBrowser` finds):
 * time from navigation to the `load` event, median of 3.
 *
 * With KP_BENCH_SHOTS=DIR, also writes DIR/html-top.png (the top of the page) and
 * DIR/html-folded.png (the first folded row), to look at.
 *
 * Get a large report with `scan --dump DIR --format json -o OUT` on a dump written by
 * `writeSyntheticDump` (bench/synthetic.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { PACKAGE_ROOT } from '../src/paths.js';
import { findBrowser } from '../src/render/browser.js';
import { FILE_NAMES, FORMATS, type Format } from '../src/render/index.js';

interface Run {
  wallMs: number;
  maxRssBytes: number;
  code: number | null;
}

/** Runs the CLI with the probe preloaded (bench/probe.ts): wall time, peak RSS, exit code. */
async function measure(args: string[]): Promise<Run> {
  const out = join(tmpdir(), `kp-bench-render-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const start = performance.now();
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', join(PACKAGE_ROOT, 'dist', 'bench', 'probe.js'), join(PACKAGE_ROOT, 'bin', 'kube-preflight.js'), ...args],
      {
        cwd: PACKAGE_ROOT,
        env: { ...process.env, KP_BENCH_OUT: out, NO_COLOR: '1' },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    child.on('error', fail);
    child.on('close', done);
  });
  const wallMs = Math.round(performance.now() - start);
  const probe = JSON.parse(await readFile(out, 'utf8')) as { maxRssBytes: number };
  await rm(out, { force: true });
  return { wallMs, code, maxRssBytes: probe.maxRssBytes };
}

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(b < 2 ** 20 ? 2 : 0)} MiB`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Pages of a PDF written by Chromium: its `/Type /Page` objects. */
function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;
}

async function openHtml(file: string, shots: string | undefined): Promise<void> {
  const browser = await puppeteer.launch({
    executablePath: (await findBrowser(undefined)).path,
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  try {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      const t0 = performance.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 300_000 });
      times.push(Math.round(performance.now() - t0));
      if (i === 0 && shots) {
        await page.setViewport({ width: 1280, height: 1000 });
        await page.screenshot({ path: join(shots, 'html-top.png') });
        const folded = await page.$('table.folded');
        if (folded) {
          // eslint-disable-next-line @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- runs in the page; the tsconfig has no DOM types
          await folded.evaluate((el) => (el.previousElementSibling ?? el).scrollIntoView());
          await page.screenshot({ path: join(shots, 'html-folded.png') });
        }
      }
      await page.close();
    }
    console.log(`html in Chromium: navigation to load, median ${median(times)} ms (runs ${times.join(', ')} ms)`);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const [file, ...given] = process.argv.slice(2);
  if (!file) throw new Error('usage: node dist/bench/render.js REPORT.json [FORMAT…]');
  const formats = (given.length > 0 ? given : ['json', 'text', 'markdown', 'html', 'pdf']) as Format[];
  const unknown = formats.filter((f) => !FORMATS.includes(f));
  if (unknown.length > 0) throw new Error(`unknown format ${unknown.join(', ')}`);
  const report = resolve(file);
  console.log(`report ${report}: ${mib((await stat(report)).size)}`);
  const dir = await mkdtemp(join(tmpdir(), 'kp-bench-render-'));
  try {
    for (const format of formats) {
      const run = await measure(['render', report, '--format', format, '-o', dir, '-q']);
      const out = join(dir, FILE_NAMES[format]);
      const bytes = (await stat(out)).size;
      const pages = format === 'pdf' ? `, ${pageCount(await readFile(out))} pages` : '';
      console.log(
        `render --format ${format}: wall ${run.wallMs} ms, peak RSS ${mib(run.maxRssBytes)}, ${FILE_NAMES[format]} ${mib(bytes)}${pages} (exit ${run.code})`,
      );
    }
    if (formats.includes('html')) await openHtml(join(dir, FILE_NAMES.html), process.env.KP_BENCH_SHOTS);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
