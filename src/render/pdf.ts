/**
 * The PDF report: the HTML report (every collapsed block open) printed by Chrome/Chromium
 * through `puppeteer-core`, with the print CSS of `templates/report.css` (a family per page,
 * no table row cut across pages), a header with the cluster and the scan time, and page
 * numbers. A4 or Letter.
 *
 * The browser runs headless with a fresh profile in a temporary folder, no background
 * networking, every request of the page refused (the page needs none), and `--no-sandbox`
 * only when running as root (Chromium refuses to start otherwise). The browser is closed and
 * the profile removed in all cases.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import puppeteer, { type Browser } from 'puppeteer-core';
import { evidenceOf, stampPdf, type Evidence } from '../evidence/stamp.js';
import { FatalError } from '../errors.js';
import { TOOL_VERSION } from '../paths.js';
import type { Report } from '../report/model.js';
import { findBrowser } from './browser.js';
import { clusterLabel } from './common.js';
import { renderHtml } from './html.js';

export type Paper = 'A4' | 'Letter';

export interface PdfOptions {
  /** `--chrome PATH`; else the browser is looked for (`findBrowser`). */
  chrome?: string;
  paper: Paper;
  /** The digest of the report.json drawn and its signer (default: `evidenceOf(report)`), in the HTML and the PDF's metadata. */
  evidence?: Evidence;
  /** Budget for loading and printing, in milliseconds (default 300 s: 5,000 findings take a while). */
  timeoutMs?: number;
}

const ARGS = [
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
];

const FONT = 'font-family: system-ui, Arial, \'Liberation Sans\', \'DejaVu Sans\', sans-serif; font-size: 8px; color: #5b6470;';

/** Header and footer of every page (Chromium's templates: `pageNumber`, `totalPages` are filled in). */
function headerFooter(report: Report): { headerTemplate: string; footerTemplate: string } {
  const e = Handlebars.Utils.escapeExpression;
  const scanned = `${report.metadata.generatedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const box = `${FONT} width: 100%; margin: 0 14mm; display: flex; justify-content: space-between;`;
  return {
    headerTemplate: `<div style="${box}"><span>Upgrade readiness · ${e(clusterLabel(report))} · ` +
      `${e(report.summary.verdict)}</span><span>scanned ${e(scanned)}</span></div>`,
    footerTemplate: `<div style="${box}"><span>kube-preflight ${e(TOOL_VERSION)}</span><span>Page <span ` +
      `class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}

/** Prints the report to PDF bytes. Throws `FatalError` when no browser is found or it cannot start. */
export async function renderPdf(report: Report, opts: PdfOptions): Promise<Uint8Array> {
  const found = await findBrowser(opts.chrome);
  const timeout = opts.timeoutMs ?? 300_000;
  const evidence = opts.evidence ?? evidenceOf(report);
  const html = renderHtml(report, { print: true, evidence });
  const profile = await mkdtemp(join(tmpdir(), 'kube-preflight-chrome-'));
  let browser: Browser | undefined;
  try {
    try {
      browser = await puppeteer.launch({
        executablePath: found.path,
        headless: true,
        userDataDir: profile,
        args: [...ARGS, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
        timeout: 60_000,
      });
    } catch (e) {
      const first = ((e as Partial<Error> | null | undefined)?.message ?? String(e)).split('\n').find((l) => l.trim() !== '' && !l.includes('unexpected operator')) ?? 'unknown error';
      throw new FatalError(`cannot start the browser ${found.path} (${found.from}) to print the PDF: ${first.trim()}`);
    }
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (r) => void (r.url().startsWith('data:') ? r.continue() : r.abort('blockedbyclient')));
    await page.setContent(html, { waitUntil: 'load', timeout });
    const pdf = await page.pdf({
      format: opts.paper,
      printBackground: true,
      displayHeaderFooter: true,
      ...headerFooter(report),
      margin: { top: '16mm', bottom: '14mm', left: '14mm', right: '14mm' },
      timeout,
    });
    return await stampPdf(pdf, evidence);
  } finally {
    await browser?.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  }
}
