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
import puppeteer from 'puppeteer-core';
import { renderHtml } from '../../src/render/html.js';
import { renderPdf } from '../../src/render/pdf.js';
import type { Report } from '../../src/contract/report.js';
import { pdfTools } from '../support/pdf.js';
import { sampleReport } from './sample.js';


const { browser, missing } = await pdfTools(['pdfinfo', 'pdftotext'], 'skipping the PDF tests');

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
  ] as const)('prints the sample on %s with the verdict, the findings, evidence, a header and page numbers', async (paper, size) => {
    const file = join(work, `report-${paper}.pdf`);
    await writeFile(file, await renderPdf(report, { paper }));
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(size);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    // The summary page, a page or more per family, the coverage; not runaway (a page per finding at most).
    expect(pages).toBeGreaterThanOrEqual(1 + new Set(report.checks.map((c) => c.family)).size);
    expect(pages).toBeLessThanOrEqual(10 + report.findings.length);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const first = text.split('\f')[0]!;
    expect(first).toContain(report.summary.verdict);
    expect(first).toContain('What blocks the upgrade');
    expect(first).toMatch(/Page 1 of \d+/);
    expect(first).toContain('scanned 2026-11-23 07:00 UTC');
    expect(text).toContain(`Page ${pages} of ${pages}`);
    for (const f of report.findings) expect(text).toContain(f.fingerprint);
    // Evidence is printed, not collapsed.
    expect(text).toMatch(/kubeletVersion\s+v1\.23\.17/);
    expect(text).toContain('Coverage: what was and was not assessed');
  });

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
