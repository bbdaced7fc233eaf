/**
 * The PDF with a real Chromium (Debian `chromium` in CI): the sample report printed on A4 and
 * Letter, checked with poppler (`pdfinfo` for pages and paper, `pdftotext` for the text). With
 * no browser or no poppler the test is skipped with a message, unless
 * KUBE_PREFLIGHT_REQUIRE_REAL_COMPONENTS=1 (CI), where it fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import puppeteer from 'puppeteer-core';
import { syntheticReport } from '../../bench/synthetic-report.js';
import { evidenceOf } from '../../src/evidence/stamp.js';
import { clusterLabel, FAMILY_TITLES, familiesOf } from '../../src/render/common.js';
import { renderHtml } from '../../src/render/html.js';
import { renderPdf } from '../../src/render/pdf.js';
import type { Report } from '../../src/contract/report.js';
import { pdfTools } from '../support/pdf.js';
import { sampleReport } from './sample.js';

const { browser, missing } = await pdfTools(['pdfinfo', 'pdftotext'], 'skipping the PDF tests');

interface Bookmark {
  title: string;
  children: Bookmark[];
}

/** The outline (bookmarks) of a PDF, read back from its catalog's `/Outlines` with pdf-lib. */
async function outlineOf(bytes: Uint8Array): Promise<Bookmark[]> {
  const doc = await PDFDocument.load(bytes);
  const walk = (parent: PDFDict | undefined): Bookmark[] => {
    const out: Bookmark[] = [];
    for (let item = parent?.lookupMaybe(PDFName.of('First'), PDFDict); item; item = item.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      out.push({ title: item.lookup(PDFName.of('Title'), PDFString, PDFHexString).decodeText(), children: walk(item) });
    }
    return out;
  };
  return walk(doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict));
}

const SIGNER = `SHA256:${'ab'.repeat(32)}`;

let work: string;
let report: Report;
// The browser profiles of this file's PDFs go to a temporary folder of its own (TMPDIR, which
// os.tmpdir() reads), so PDFs printed by other test files at the same time are not counted.
const savedTmp = process.env.TMPDIR;
let profileDir: string;
const profiles = async (): Promise<string[]> => (await readdir(profileDir)).filter((n) => n.startsWith('kube-preflight-chrome-'));
let before: string[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-pdf-'));
  profileDir = join(work, 'tmp');
  await mkdir(profileDir);
  process.env.TMPDIR = profileDir;
  report = await sampleReport();
  before = await profiles();
});
afterAll(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  await rm(work, { recursive: true, force: true });
});

describe.skipIf(missing !== undefined)('PDF with real Chromium', () => {
  it.each([
    ['A4', /595\.\d* x 841\.\d* pts \(A4\)/],
    ['Letter', /612 x 792 pts \(letter\)/],
  ] as const)(
    'prints the sample on %s with a cover, the findings, evidence, an outline, a header and page numbers, and no near-empty page',
    async (paper, size) => {
      const file = join(work, `report-${paper}.pdf`);
      const digest = evidenceOf(report).reportSha256;
      const bytes = await renderPdf(report, { paper, evidence: { reportSha256: digest, signer: SIGNER } });
      await writeFile(file, bytes);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(info).toMatch(size);
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      // Not runaway: a page per finding at most, and a page per 15 table rows.
      const tableRows = (report.tables ?? []).reduce((n, t) => n + t.rows.length, 0);
      expect(pages).toBeLessThanOrEqual(10 + report.findings.length + Math.ceil(tableRows / 15));
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      // Every word of the family tables' headers is printed whole ("EXPIRES", not "EXPIRE S").
      const words = (report.tables ?? []).flatMap((t) => t.columns.flatMap((c) => c.label.split(/\s+/)));
      expect(words.filter((w) => !new RegExp(`(^|\\s)${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`, 'm').test(text))).toEqual([]);
      const first = text.split('\f')[0]!;
      expect(first).toContain(report.summary.verdict);
      expect(first).toContain('What blocks the upgrade');
      expect(first).toMatch(/Page 1 of \d+/);
      expect(first).toContain('scanned 2026-11-23 07:00 UTC');
      // The cover: the report.json digest, who scanned (the dump, and who collected it), the signer.
      const cover = first.replace(/\s+/g, ' ');
      expect(cover).toContain(`Upgrade readiness: ${clusterLabel(report)}`);
      expect(cover).toContain(`REPORT.JSON SHA-256 ${digest}`);
      expect(cover).toContain(`SCANNED AS offline dump sha256:${'0'.repeat(64)}, collected by kubectl, etcdctl and cp`);
      expect(cover).toContain(`SIGNED BY key ${SIGNER}`);
      // No near-empty page: every page but the last has 30 lines of text or more (header and footer included).
      const lines = text
        .split('\f')
        .slice(0, pages)
        .map((p) => p.split('\n').filter((l) => l.trim() !== '').length);
      expect(lines.slice(0, -1).filter((n) => n < 30)).toEqual([]);
      // The outline: the report, then its sections, each family with its checks.
      const outline = await outlineOf(bytes);
      expect(outline.map((b) => b.title)).toEqual([`Upgrade readiness: ${clusterLabel(report)}`]);
      const sections = outline[0]!.children;
      const families = familiesOf(report);
      expect(sections.map((b) => b.title)).toEqual([
        report.summary.verdict,
        'Findings by severity',
        'What blocks the upgrade',
        'Families',
        ...families.map((f) => FAMILY_TITLES[f.family]),
        'Coverage: what was and was not assessed',
        'About this report',
      ]);
      // Each family: its tables (title and row count), then its checks.
      for (const f of families) {
        const kids = sections.find((b) => b.title === FAMILY_TITLES[f.family])!.children.map((b) => b.title);
        const tables = (report.tables ?? []).filter((t) => t.family === f.family);
        expect(kids.slice(0, tables.length).map((k, i) => k.startsWith(`${tables[i]!.title} (${tables[i]!.rows.length} rows`))).toEqual(
          tables.map(() => true),
        );
        expect(kids.slice(tables.length)).toEqual(f.checks.map((c) => c.title));
      }
      expect(text).toContain(`Page ${pages} of ${pages}`);
      for (const f of report.findings) expect(text).toContain(f.fingerprint);
      // Evidence is printed, not collapsed.
      expect(text).toMatch(/kubeletVersion\s+v1\.23\.17/);
      expect(text).toContain('Coverage: what was and was not assessed');
    },
  );

  // Printable width: the paper less the 14 mm margins `renderPdf` sets on each side, in CSS px (96 per inch).
  const printable = { A4: ((210 - 28) / 25.4) * 96, Letter: 8.5 * 96 - (28 / 25.4) * 96 };
  interface Layout {
    page: number;
    tables: Array<{ width: number; room: number; caption: string }>;
    wrappedIds: string[];
    /** Each family table: its width (px), and its header and value words broken inside ("EXPIRE|S"). */
    family: Array<{ id: string; width: number; headers: string[]; values: string[] }>;
  }
  /** The widths of every table of `html` laid out `width` px wide (print media when `print`), with every `<details>` open. */
  async function layout(html: string, width: number, print: boolean): Promise<Layout> {
    const b = await puppeteer.launch({ executablePath: browser!.path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    try {
      const page = await b.newPage();
      await page.setViewport({ width: Math.floor(width), height: 1000 });
      if (print) await page.emulateMediaType('print');
      await page.setContent(html, { waitUntil: 'load', timeout: 120_000 });
      // A string: the test compiles without the DOM library; it runs in the page.
      return (await page.evaluate(`(() => {
        document.querySelectorAll('details').forEach((d) => { d.open = true; });
        const tables = [...document.querySelectorAll('table')].map((t) => ({
          width: t.scrollWidth,
          room: t.parentElement.clientWidth,
          caption: (t.caption ? t.caption.textContent : (t.closest('[id]') || t).id + ' ' + t.className).slice(0, 60),
        }));
        const wrappedIds = [...document.querySelectorAll('.coverage code.id')].filter((c) => c.getClientRects().length > 2 || (c.closest('td.ids') && c.getClientRects().length > 1)).map((c) => c.textContent);
        // Words of a family table broken between two letters or digits: "EXPIRE|S". A line that
        // ends after a '-', '/', '.' or '_' is not counted (that is where a long name may wrap).
        const broken = (cells) => cells.flatMap((cell) => {
          const out = [];
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            let top = null;
            for (let i = 0; i < n.data.length; i++) {
              const range = document.createRange();
              range.setStart(n, i);
              range.setEnd(n, i + 1);
              const rect = [...range.getClientRects()].find((r) => r.width > 0);
              if (!rect) continue;
              if (top !== null && rect.top > top + 2 && /[\\p{L}\\p{N}]/u.test(n.data[i - 1]) && /[\\p{L}\\p{N}]/u.test(n.data[i])) {
                out.push(n.data.slice(0, i) + '|' + n.data.slice(i));
              }
              top = rect.top;
            }
          }
          return out;
        });
        const family = [...document.querySelectorAll('.family-table table')].map((t) => ({
          id: t.closest('.family-table').id,
          width: t.offsetWidth,
          headers: broken([...t.querySelectorAll('th')]),
          values: broken([...t.querySelectorAll('td')]),
        }));
        return { page: document.documentElement.scrollWidth, tables, wrappedIds, family };
      })()`)) as Layout;
    } finally {
      await b.close();
    }
  }

  it.each(['A4', 'Letter'] as const)(
    'every table of the sample and of a 5,000-finding report fits the printable width of %s',
    async (paper) => {
      const width = printable[paper];
      for (const r of [report, syntheticReport(5000)]) {
        const { page, tables, wrappedIds } = await layout(renderHtml(r, { print: true }), width, true);
        expect(tables.length).toBeGreaterThan(5);
        expect(tables.filter((t) => t.width > Math.floor(width))).toEqual([]);
        expect(page).toBeLessThanOrEqual(Math.floor(width));
        // A check id of the coverage tables breaks at most once (at a '-'); in a list of ids, never.
        expect(wrappedIds).toEqual([]);
      }
    },
    240_000,
  );

  /**
   * The sample with one more deprecated-API row whose kind is a 54-letter word: the apis table
   * (8 columns) cannot give every word its width.
   */
  function withLongKind(r: Report): Report {
    const tables = (r.tables ?? []).map((t) =>
      t.id !== 'apis-deprecated'
        ? t
        : {
            ...t,
            rows: [
              ...t.rows,
              {
                flagged: true as const,
                cells: {
                  ...t.rows[0]!.cells,
                  kind: 'ClusterWideNetworkAdmissionConfigurationPolicyOverrides',
                },
              },
            ],
          },
    );
    return { ...r, tables };
  }

  it.each(['A4', 'Letter'] as const)(
    'the family tables fit %s: no header word is broken, and a value word only when it is longer than its column can be',
    async (paper) => {
      const width = Math.floor(printable[paper]);
      const plain = await layout(renderHtml(report, { print: true }), width, true);
      expect(plain.family.map((t) => t.id)).toEqual((report.tables ?? []).map((t) => `table-${t.id}`));
      expect(plain.family.filter((t) => t.width > width || t.headers.length > 0 || t.values.length > 0)).toEqual([]);
      const long = await layout(renderHtml(withLongKind(report), { print: true }), width, true);
      expect(long.family.filter((t) => t.width > width || t.headers.length > 0)).toEqual([]);
      // Only the 54-letter kind is broken; every other word of the table is whole.
      const apis = long.family.find((t) => t.id === 'table-apis-deprecated')!;
      expect(apis.values.length).toBeGreaterThan(0);
      expect(apis.values.filter((v) => v.replace('|', '') !== 'ClusterWideNetworkAdmissionConfigurationPolicyOverrides')).toEqual([]);
    },
    240_000,
  );

  it('in a window, a table in a closed block is fitted when the block opens, not before', async () => {
    // The apis table with 60 rows: 40 shown, 20 in a closed "more" block; 8 columns at 800 px
    // are too wide for the window, so an open table is fitted.
    const tables = (report.tables ?? []).map((t) =>
      t.id !== 'apis-deprecated'
        ? t
        : {
            ...t,
            rows: Array.from({ length: 60 }, (_, i) => ({ ...t.rows[0]!, cells: { ...t.rows[0]!.cells, name: `legacy-batch-${i}` } })),
          },
    );
    const b = await puppeteer.launch({ executablePath: browser!.path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    try {
      const page = await b.newPage();
      await page.setViewport({ width: 800, height: 1000 });
      await page.setContent(renderHtml({ ...report, tables }), { waitUntil: 'load' });
      const state = `[...document.querySelectorAll('#table-apis-deprecated table')].map((t) => (t.closest('details') ? 'more ' : 'shown ') + t.classList.contains('fitted'))`;
      expect(await page.evaluate(state)).toEqual(['shown true', 'more false']);
      await page.evaluate(`document.querySelector('#table-apis-deprecated details.more').open = true`);
      await page.waitForFunction(`document.querySelector('#table-apis-deprecated details.more table').classList.contains('fitted')`, {
        timeout: 5000,
      });
      expect(await page.evaluate(state)).toEqual(['shown true', 'more true']);
    } finally {
      await b.close();
    }
  }, 120_000);

  it('no table of the HTML is wider than its column at 1,400 px, and the page does not scroll sideways', async () => {
    for (const r of [report, syntheticReport(5000)]) {
      const { page, tables, family } = await layout(renderHtml(r), 1400, false);
      expect(tables.filter((t) => t.width > t.room)).toEqual([]);
      expect(family.filter((t) => t.headers.length > 0 || t.values.length > 0)).toEqual([]);
      expect(page).toBeLessThanOrEqual(1400);
    }
  }, 240_000);

  it('the HTML filters by severity and family with JavaScript off, and fetches nothing', async () => {
    const requests: string[] = [];
    const b = await puppeteer.launch({ executablePath: browser!.path, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    try {
      const page = await b.newPage();
      await page.setJavaScriptEnabled(false);
      page.on('request', (r) => requests.push(r.url()));
      await page.setContent(renderHtml(report), { waitUntil: 'load' });
      // A string: the test compiles without the DOM library; it runs in the page.
      const shown = (sel: string) => page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(sel)})).display !== 'none'`);
      const critical = `tr#f-${report.findings.find((f) => f.severity === 'critical')!.fingerprint}`;
      expect(await shown(critical)).toBe(true);
      await page.click('#flt-sev-critical');
      expect(await shown(critical)).toBe(false);
      expect(await shown('#family-etcd')).toBe(true);
      await page.click('#flt-fam-etcd');
      expect(await shown('#family-etcd')).toBe(false);
      expect(requests.filter((u) => !u.startsWith('about:') && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('leaves no browser profile behind', async () => {
    expect(await profiles()).toEqual(before);
  });
});
