/**
 * The output formats and their file names. Every renderer is a pure function of the report;
 * the PDF is the only one that does I/O (it runs a browser).
 */
import type { Evidence } from '../evidence/stamp.js';
import type { Report } from '../report/model.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderPdf, type PdfOptions } from './pdf.js';
import { renderPolicyReport } from './policyreport.js';
import { renderPrometheus } from './prometheus.js';
import { renderSarif } from './sarif.js';
import { renderText, type TextOptions } from './text.js';

export const FORMATS = ['text', 'json', 'html', 'pdf', 'markdown', 'sarif', 'junit', 'prometheus', 'policyreport'] as const;
export type Format = (typeof FORMATS)[number];

export const FILE_NAMES: Record<Format, string> = {
  text: 'report.txt',
  json: 'report.json',
  html: 'report.html',
  pdf: 'report.pdf',
  markdown: 'report.md',
  sarif: 'report.sarif',
  junit: 'report.junit.xml',
  prometheus: 'report.prom',
  policyreport: 'report.policyreport.yaml',
};

/** Formats that are bytes, not text (never written to a terminal). */
export const BINARY_FORMATS: readonly Format[] = ['pdf'];

export interface RenderOptions {
  text: TextOptions;
  pdf?: PdfOptions;
  /** The digest of report.json and its signer, recorded in the HTML (default: computed). */
  evidence?: Evidence;
  /** Wall time of the scan, in seconds (Prometheus output). */
  scanDurationSeconds?: number;
}

/** Renders one format; text formats as a string, binary ones (PDF) as bytes. */
export async function render(format: Format, report: Report, opts: RenderOptions): Promise<string | Uint8Array> {
  switch (format) {
    case 'text':
      return renderText(report, opts.text);
    case 'json':
      return renderJson(report);
    case 'html':
      return renderHtml(report, { print: false, ...(opts.evidence ? { evidence: opts.evidence } : {}) });
    case 'pdf':
      return renderPdf(report, opts.pdf ?? { paper: 'A4' });
    case 'markdown':
      return renderMarkdown(report);
    case 'sarif':
      return renderSarif(report);
    case 'junit':
      return renderJunit(report);
    case 'prometheus':
      return renderPrometheus(report, opts.scanDurationSeconds !== undefined ? { scanDurationSeconds: opts.scanDurationSeconds } : {});
    case 'policyreport':
      return renderPolicyReport(report);
  }
}
