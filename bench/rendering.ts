/**
 * Measures of rendered reports shared by `npm run bench` (`bench/run.ts`) and `bench/render.ts`:
 * the pages of a PDF, and how long headless Chromium takes to open an HTML report
 * (`puppeteer-core` with the browser `findBrowser` finds, `goto(file://…)` to the `load` event,
 * 3 times in one browser).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findBrowser } from '../src/render/browser.js';

/**
 * The 3 times (milliseconds) from navigation to the `load` event of `file`; null when no
 * browser is found. With `shots` (a folder), the first run also writes `html-top.png` (the top
 * of the page) and `html-folded.png` (the first folded table), to look at. `timeoutMs`: the
 * limit of one navigation.
 */
export async function htmlOpenTimes(file: string, o: { timeoutMs: number; shots?: string }): Promise<number[] | null> {
  let path: string;
  try {
    path = (await findBrowser()).path;
  } catch {
    return null;
  }
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath: path, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  try {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      const t0 = performance.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: o.timeoutMs });
      times.push(Math.round(performance.now() - t0));
      if (i === 0 && o.shots) {
        await page.setViewport({ width: 1280, height: 1000 });
        await page.screenshot({ path: join(o.shots, 'html-top.png') });
        const folded = await page.$('table.folded');
        if (folded) {
          // eslint-disable-next-line @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- runs in the page; the tsconfig has no DOM types
          await folded.evaluate((el) => (el.previousElementSibling ?? el).scrollIntoView());
          await page.screenshot({ path: join(o.shots, 'html-folded.png') });
        }
      }
      await page.close();
    }
    return times;
  } finally {
    await browser.close();
  }
}

/** The pages of a PDF, by poppler's `pdfinfo`; null when it is not installed or fails. */
export function pdfPages(file: string): number | null {
  try {
    return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1] ?? NaN);
  } catch {
    return null;
  }
}
