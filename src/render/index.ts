/**
 * Rendering a report in one format (the formats and file names are in `formats.ts`). Every renderer is a pure function of the report;
 * the PDF is the only one that does I/O (it runs a browser). Each renderer is loaded when its
 * format is asked for: a JSON report never loads the HTML templates (handlebars), the browser
 * driver or the XML writer.
 */
import type { Evidence } from '../evidence/stamp.js';
import type { Report } from '../contract/report.js';
import type { PdfOptions } from './pdf.js';
import type { TextOptions } from './text.js';

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
      return (await import('./text.js')).renderText(report, opts.text);
    case 'json':
      return (await import('./json.js')).renderJson(report);
    case 'html':
      return (await import('./html.js')).renderHtml(report, { print: false, ...(opts.evidence ? { evidence: opts.evidence } : {}) });
    case 'pdf':
      return (await import('./pdf.js')).renderPdf(report, opts.pdf ?? { paper: 'A4' });
    case 'markdown':
      return (await import('./markdown.js')).renderMarkdown(report);
    case 'sarif':
      return (await import('./sarif.js')).renderSarif(report);
    case 'junit':
      return (await import('./junit.js')).renderJunit(report);
    case 'prometheus':
      return (await import('./prometheus.js')).renderPrometheus(
        report,
        opts.scanDurationSeconds !== undefined ? { scanDurationSeconds: opts.scanDurationSeconds } : {},
      );
    case 'policyreport':
      return (await import('./policyreport.js')).renderPolicyReport(report);
  }
}
