/**
 * The PDF report: the HTML report (every collapsed block open) printed by Chrome/Chromium
 * through `puppeteer-core`, with the print CSS of `templates/report.css` (families run on
 * without a page break of their own; a heading never ends a page; only a finding with its
 * evidence may run over a page break), a header with the cluster and the scan time, and page
 * numbers. A4 or Letter. The PDF is tagged and has an outline (bookmarks): one entry per
 * heading (`h1`–`h4`: the report, each section, family and check), nested by level.
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
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import puppeteer, { type Browser } from 'puppeteer-core';
import { evidenceOf, stampPdf, type Evidence } from '../evidence/stamp.js';
import { FatalError } from '../contract/errors.js';
import { TOOL_VERSION } from '../paths.js';
import type { Report } from '../contract/report.js';
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

/** Left and right page margins, in millimetres. */
const MARGIN_MM = 14;

/** The paper's width less its margins, in CSS px (96 a inch): A4 is 210 mm wide, Letter 8.5 in. */
export function printableWidth(paper: Paper): number {
  const mm = paper === 'A4' ? 210 : 8.5 * 25.4;
  return ((mm - 2 * MARGIN_MM) / 25.4) * 96;
}

const FONT = "font-family: system-ui, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif; font-size: 8px; color: #5b6470;";

/** Header and footer of every page (Chromium's templates: `pageNumber`, `totalPages` are filled in). */
function headerFooter(report: Report): { headerTemplate: string; footerTemplate: string } {
  const e = Handlebars.Utils.escapeExpression;
  const scanned = `${report.metadata.generatedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const box = `${FONT} width: 100%; margin: 0 ${MARGIN_MM}mm; display: flex; justify-content: space-between;`;
  return {
    headerTemplate:
      `<div style="${box}"><span>Upgrade readiness · ${e(clusterLabel(report))} · ` +
      `${e(report.summary.verdict)}</span><span>scanned ${e(scanned)}</span></div>`,
    footerTemplate:
      `<div style="${box}"><span>kube-preflight ${e(TOOL_VERSION)}</span><span>Page <span ` +
      `class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}

/** Whitespace removed: how a heading and its outline title are matched. */
const bare = (s: string): string => s.replace(/\s+/g, '');

/**
 * Gives the outline entries the exact text of their headings. Chromium (checked with 156)
 * joins the lines of a heading that wraps without a space ("about toexpire"); an entry whose
 * text, whitespace aside, is a heading's is retitled with that heading (`headings`: the text of
 * every `h1`–`h4`, whitespace collapsed). Entries matching no heading are left as they are.
 */
function retitleOutline(doc: PDFDocument, headings: string[]): void {
  const byBare = new Map(headings.map((h) => [bare(h), h]));
  const walk = (parent: PDFDict | undefined): void => {
    for (let item = parent?.lookupMaybe(PDFName.of('First'), PDFDict); item; item = item.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      const title = item.lookupMaybe(PDFName.of('Title'), PDFString, PDFHexString);
      const heading = title ? byBare.get(bare(title.decodeText())) : undefined;
      if (heading !== undefined) item.set(PDFName.of('Title'), PDFHexString.fromText(heading));
      walk(item);
    }
  };
  walk(doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict));
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
        // The print itself is one DevTools call: it gets the same budget (puppeteer's default is 180 s).
        protocolTimeout: timeout,
      });
    } catch (e) {
      const first =
        ((e as Partial<Error> | null | undefined)?.message ?? String(e))
          .split('\n')
          .find((l) => l.trim() !== '' && !l.includes('unexpected operator')) ?? 'unknown error';
      throw new FatalError(`cannot start the browser ${found.path} (${found.from}) to print the PDF: ${first.trim()}`);
    }
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (r) => void (r.url().startsWith('data:') ? r.continue() : r.abort('blockedbyclient')));
    await page.setContent(html, { waitUntil: 'load', timeout });
    // The page's script sets the widths of a family table too wide for the paper: it measures
    // them laid out for print at the printable width (a resize event runs it again).
    await page.emulateMediaType('print');
    await page.setViewport({ width: Math.floor(printableWidth(opts.paper)), height: 1000 });
    await page.evaluate(`dispatchEvent(new Event('resize'))`);
    // A string: this module compiles without the DOM library; it runs in the page.
    const headings = (await page.evaluate(
      `[...document.querySelectorAll('h1, h2, h3, h4')].map((h) => h.textContent.replace(/\\s+/g, ' ').trim())`,
    )) as string[];
    const pdf = await page.pdf({
      format: opts.paper,
      printBackground: true,
      // Bookmarks from the headings (h1-h4); Chromium builds them from the tagged PDF's structure.
      tagged: true,
      outline: true,
      displayHeaderFooter: true,
      ...headerFooter(report),
      margin: { top: '16mm', bottom: `${MARGIN_MM}mm`, left: `${MARGIN_MM}mm`, right: `${MARGIN_MM}mm` },
      timeout,
    });
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    retitleOutline(doc, headings);
    return await stampPdf(await doc.save(), evidence);
  } finally {
    await browser?.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  }
}
