/**
 * `node dist/bench/render.js REPORT.json [FORMAT…]`: what rendering an existing report costs.
 * Each format (default: json text markdown html pdf) is drawn by `kube-preflight render` in its
 * own process and folder: wall time, peak RSS and the size of the file written; the PDF's pages
 * (`pdfinfo`). Then the HTML is opened in headless Chromium (`bench/rendering.ts`): time from
 * navigation to the `load` event, median of 3.
 *
 * With KP_BENCH_SHOTS=DIR, also writes DIR/html-top.png (the top of the page) and
 * DIR/html-folded.png (the first folded row), to look at.
 *
 * Get a large report with `scan --dump DIR --format json -o OUT` on a dump written by
 * `writeSyntheticDump` (bench/synthetic.ts).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { FILE_NAMES, FORMATS, type Format } from '../src/render/index.js';
import { htmlOpenTimes, pdfPages } from './rendering.js';
import { measure, median } from './measure.js';

const CLI = join(PACKAGE_ROOT, 'bin', 'kube-preflight.js');

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(b < 2 ** 20 ? 2 : 0)} MiB`;

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
      // One folder per format: a render removes the files of other formats from its output folder.
      const run = await measure([CLI, 'render', report, '--format', format, '-o', join(dir, format), '-q'], { timeoutMs: 600_000 });
      const out = join(dir, format, FILE_NAMES[format]);
      const bytes = (await stat(out)).size;
      const pages = format === 'pdf' ? `, ${pdfPages(out) ?? '?'} pages` : '';
      console.log(
        `render --format ${format}: wall ${run.wallMs} ms, peak RSS ${mib(run.maxRssBytes)}, ${FILE_NAMES[format]} ${mib(bytes)}${pages} (exit ${run.code})`,
      );
    }
    if (formats.includes('html')) {
      const times = await htmlOpenTimes(join(dir, 'html', FILE_NAMES.html), { timeoutMs: 300_000, shots: process.env.KP_BENCH_SHOTS });
      console.log(
        times
          ? `html in Chromium: navigation to load, median ${median(times)} ms (runs ${times.join(', ')} ms)`
          : 'html in Chromium: no browser found',
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
