/**
 * What ties `report.html` and `report.pdf` to the `report.json` they were drawn from: the
 * SHA-256 of the JSON file's bytes, and, when it was signed, the signing key's fingerprint.
 * The HTML carries them in `<meta>` tags of its head; the PDF in its document information
 * (Subject and Keywords, written with pdf-lib after the browser prints). `verify` reads them
 * back and compares.
 */
import { createHash } from 'node:crypto';
import { jsonSha256 } from '../render/json.js';
import type { Report } from '../contract/report.js';

/** What an HTML or PDF report records about its JSON. */
export interface Evidence {
  /** SHA-256 of the `report.json` bytes, 64 lower-case hex digits. */
  reportSha256: string;
  /** `SHA256:<hex>` fingerprint of the key that signed `report.json` (`keyFingerprint`). */
  signer?: string;
}

export const HTML_DIGEST_META = 'kube-preflight-report-sha256';
export const HTML_SIGNER_META = 'kube-preflight-signer';

const DIGEST_KEYWORD = 'kube-preflight-report-sha256:';
const SIGNER_KEYWORD = 'kube-preflight-signer:';

/** SHA-256 of `bytes` (a `report.json`), in lower-case hex. */
export function sha256Hex(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The evidence of a report that is not signed: the digest of its `report.json` (`jsonSha256`). */
export function evidenceOf(report: Report): Evidence {
  return { reportSha256: jsonSha256(report) };
}

/** pdf-lib, loaded only when a PDF is stamped or read (HTML reports and scans never need it). */
async function pdfDocument(): Promise<typeof import('pdf-lib').PDFDocument> {
  return (await import('pdf-lib')).PDFDocument;
}

const FINGERPRINT = /^SHA256:[0-9a-f]{64}$/;
const DIGEST = /^[0-9a-f]{64}$/;

/**
 * The evidence an HTML report records (the `<meta>` tags `report.hbs` writes, looked for in
 * the head only, before `</head>`); fields are absent when not found or malformed.
 */
export function readHtmlEvidence(html: string): Partial<Evidence> {
  const end = html.indexOf('</head>');
  const head = end >= 0 ? html.slice(0, end) : html.slice(0, 64 * 1024);
  const meta = (name: string): string | undefined => new RegExp(`<meta name="${name}" content="([^"<>]*)">`).exec(head)?.[1];
  const out: Partial<Evidence> = {};
  const digest = meta(HTML_DIGEST_META);
  if (digest && DIGEST.test(digest)) out.reportSha256 = digest;
  const signer = meta(HTML_SIGNER_META);
  if (signer && FINGERPRINT.test(signer)) out.signer = signer;
  return out;
}

/**
 * Writes the evidence into the PDF's document information: Subject `kube-preflight report;
 * report.json SHA-256 <hex>` and Keywords `kube-preflight-report-sha256:<hex>` (and
 * `kube-preflight-signer:SHA256:<hex>`). Title, creator, producer and dates stay as the
 * browser wrote them. Resolves to the new PDF bytes.
 */
export async function stampPdf(pdf: Uint8Array, evidence: Evidence): Promise<Uint8Array> {
  const doc = await (await pdfDocument()).load(pdf, { updateMetadata: false });
  doc.setSubject(
    `kube-preflight report; report.json SHA-256 ${evidence.reportSha256}${evidence.signer ? `; signed by ${evidence.signer}` : ''}`,
  );
  doc.setKeywords([`${DIGEST_KEYWORD}${evidence.reportSha256}`, ...(evidence.signer ? [`${SIGNER_KEYWORD}${evidence.signer}`] : [])]);
  return doc.save();
}

/**
 * The evidence a PDF report records (its Keywords, as `stampPdf` writes them). Throws when
 * the bytes are not a PDF pdf-lib can read (the message says why).
 */
export async function readPdfEvidence(pdf: Uint8Array): Promise<Partial<Evidence>> {
  const doc = await (await pdfDocument()).load(pdf, { updateMetadata: false, ignoreEncryption: true });
  const out: Partial<Evidence> = {};
  for (const word of (doc.getKeywords() ?? '').split(/\s+/)) {
    if (word.startsWith(DIGEST_KEYWORD) && DIGEST.test(word.slice(DIGEST_KEYWORD.length)))
      out.reportSha256 = word.slice(DIGEST_KEYWORD.length);
    if (word.startsWith(SIGNER_KEYWORD) && FINGERPRINT.test(word.slice(SIGNER_KEYWORD.length)))
      out.signer = word.slice(SIGNER_KEYWORD.length);
  }
  return out;
}
