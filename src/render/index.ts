/**
 * Rendering a report in one format (the formats and file names are in `formats.ts`). Every renderer is a pure function of the report;
 * the PDF is the only one that does I/O (it runs a browser).
 */
import type { Evidence } from '../evidence/stamp.js';
import type { Report } from '../contract/report.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { PdfOptions } from './pdf.js';
import { renderPolicyReport } from './policyreport.js';
import { renderSarif } from './sarif.js';
import { renderText, type TextOptions } from './text.js';

export { BINARY_FORMATS, FILE_NAMES, FORMATS, type Format } from './formats.js';
import type { Format } from './formats.js';

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
      // Loaded only for a PDF: the browser driver and pdf-lib.
      return (await import('./pdf.js')).renderPdf(report, opts.pdf ?? { paper: 'A4' });
    case 'markdown':
      return renderMarkdown(report);
    case 'sarif':
      return renderSarif(report);
    case 'junit':
      return renderJunit(report);
    case 'prometheus':
      return (await import('./prometheus.js')).renderPrometheus(
        report,
        opts.scanDurationSeconds !== undefined ? { scanDurationSeconds: opts.scanDurationSeconds } : {},
      );
    case 'policyreport':
      return renderPolicyReport(report);
  }
}
