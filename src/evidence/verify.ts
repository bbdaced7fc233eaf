/**
 * `kube-preflight verify`: the checks that a report folder (or a report.json) is what the
 * tool wrote. Each check ends OK or FAILED with one line of detail; what could not be checked
 * (no signature, no public key, a tool version whose catalog this one cannot recompute) is
 * FAILED, never OK.
 *
 * - `signature`: `report.json.sig` is the Ed25519 signature of exactly the bytes of
 *   report.json by the `--public-key`.
 * - `schema`: report.json is JSON and validates against `schema/report-v1.schema.json`.
 * - `tool`: written by kube-preflight of this version, with the check catalog this version
 *   (and the report's plugins, given with `--plugin`) computes.
 * - `html` / `pdf` (when report.html / report.pdf are in the folder): they record the SHA-256
 *   of this report.json (and the fingerprint of the given key when they record a signer).
 */
import { dirname, join } from 'node:path';
import { stat } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { FatalError } from '../contract/errors.js';
import { jsonParseError } from '../k8s/parse-errors.js';
import { FileTooLargeError, NotRegularFileError, readRegularFile } from '../files.js';
import { GiB } from '../limits.js';
import { TOOL_VERSION } from '../paths.js';
import { REPORT_MAX_BYTES } from '../limits.js';
import type { Report } from '../contract/report.js';
import { reportSchemaErrors } from '../report/schema.js';
import { FILE_NAMES } from '../render/index.js';
import { keyFingerprint, verifyDetached } from './keys.js';
import { readHtmlEvidence, readPdfEvidence, sha256Hex, type Evidence } from './stamp.js';

/** Largest report.html / report.pdf read, in bytes (a 5,000-finding report is a few MB). */
export const RENDERED_MAX_BYTES = 1 * GiB;

export interface VerifyCheck {
  check: 'signature' | 'schema' | 'tool' | 'html' | 'pdf';
  ok: boolean;
  /** The file checked. */
  file: string;
  detail: string;
}

export interface VerifyInput {
  /** A folder holding report.json, or a report.json file. */
  target: string;
  publicKey?: KeyObject;
  /** `--sig FILE` (default: `<report.json>.sig`). */
  sig?: string;
  /** The catalog version of this tool with the report's plugins loaded (`Registry.catalogVersion`). */
  catalogVersion: () => Promise<string>;
}

/** report.json and the folder its companions are looked for in. Throws `FatalError` for a missing target. */
async function locate(target: string): Promise<{ json: string; dir: string }> {
  const st = await stat(target).catch((e: unknown) => {
    const { code, message } = e as NodeJS.ErrnoException;
    throw new FatalError(`verify ${target}: cannot read it: ${code ?? message}`);
  });
  if (st.isDirectory()) return { json: join(target, FILE_NAMES.json), dir: target };
  return { json: target, dir: dirname(target) };
}

/** The file's bytes, or undefined when absent; other errors as a one-line reason. */
async function readOptional(file: string, maxBytes: number): Promise<Buffer | undefined | { problem: string }> {
  try {
    return await readRegularFile(file, maxBytes);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (e instanceof FileTooLargeError || e instanceof NotRegularFileError) return { problem: e.message };
    return { problem: `cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

const isProblem = (v: unknown): v is { problem: string } => typeof v === 'object' && v !== null && 'problem' in v;

/** Compares what an HTML or PDF records with the report.json digest and the given key. */
function compareEvidence(recorded: Partial<Evidence>, digest: string, key: KeyObject | undefined): { ok: boolean; detail: string } {
  if (!recorded.reportSha256)
    return { ok: false, detail: 'records no report.json SHA-256 (not written by kube-preflight with evidence, or edited)' };
  if (recorded.reportSha256 !== digest)
    return { ok: false, detail: `rendered from another report: records SHA-256 ${recorded.reportSha256}, report.json has ${digest}` };
  if (recorded.signer && key && recorded.signer !== keyFingerprint(key))
    return { ok: false, detail: `records signer ${recorded.signer}, the given key is ${keyFingerprint(key)}` };
  return {
    ok: true,
    detail:
      `rendered from this report.json (SHA-256 ` +
      `${digest.slice(0, 12)}…)${recorded.signer ? `, signer ${recorded.signer.slice(0, 19)}…` : ''}`,
  };
}

/** Runs the checks (module docs). Throws `FatalError` only when the target itself cannot be found. */
export async function verifyReport(input: VerifyInput): Promise<VerifyCheck[]> {
  const { json: jsonFile, dir } = await locate(input.target);
  const sigFile = input.sig ?? `${jsonFile}.sig`;
  const out: VerifyCheck[] = [];
  const bytes = await readOptional(jsonFile, REPORT_MAX_BYTES);
  if (bytes === undefined || isProblem(bytes)) {
    const why = bytes === undefined ? 'not found' : bytes.problem;
    for (const check of ['signature', 'schema', 'tool'] as const)
      out.push({ check, ok: false, file: jsonFile, detail: `report.json ${why}` });
    return out;
  }
  const digest = sha256Hex(bytes);

  // (a) signature
  const sig = await readOptional(sigFile, 4096);
  if (sig === undefined)
    out.push({ check: 'signature', ok: false, file: sigFile, detail: 'no signature file (scan with --sign-key to sign)' });
  else if (isProblem(sig)) out.push({ check: 'signature', ok: false, file: sigFile, detail: sig.problem });
  else if (!input.publicKey)
    out.push({ check: 'signature', ok: false, file: sigFile, detail: "not checked: give the signer's key with --public-key FILE" });
  else if (verifyDetached(input.publicKey, bytes, sig.toString('utf8')))
    out.push({
      check: 'signature',
      ok: true,
      file: sigFile,
      detail: `Ed25519 signature of report.json by ${keyFingerprint(input.publicKey)}`,
    });
  else
    out.push({
      check: 'signature',
      ok: false,
      file: sigFile,
      detail:
        `not a signature of this report.json by ${keyFingerprint(input.publicKey)} (the JSON was ` + `changed, or signed with another key)`,
    });

  // (b) schema, (c) tool and catalog
  let report: Report | undefined;
  const text = bytes.toString('utf8');
  try {
    const data: unknown = JSON.parse(text);
    const problems = reportSchemaErrors(data);
    if (problems.length === 0) {
      report = data as Report;
      out.push({ check: 'schema', ok: true, file: jsonFile, detail: 'valid against report-v1.schema.json' });
    } else
      out.push({ check: 'schema', ok: false, file: jsonFile, detail: `not a kube-preflight report: ${problems.slice(0, 3).join('; ')}` });
  } catch (e) {
    // Where and why, never the text (Node's message quotes some of it).
    const at = jsonParseError(text, e);
    const where = at.line === undefined ? '' : ` at line ${at.line}, column ${at.column ?? 1}`;
    out.push({ check: 'schema', ok: false, file: jsonFile, detail: `${at.reason}${where}` });
  }
  if (!report) out.push({ check: 'tool', ok: false, file: jsonFile, detail: 'not checked: the report does not match its schema' });
  else {
    const tool = report.metadata.tool;
    if (tool.version !== TOOL_VERSION) {
      out.push({
        check: 'tool',
        ok: false,
        file: jsonFile,
        detail:
          `written by kube-preflight ${tool.version}, this is ${TOOL_VERSION}: its catalog cannot be ` +
          `recomputed (verify with kube-preflight ${tool.version})`,
      });
    } else {
      const plugins = report.metadata.selection?.plugins ?? [];
      let ours: string | { problem: string };
      try {
        ours = await input.catalogVersion();
      } catch (e) {
        ours = { problem: (e as Error).message };
      }
      if (isProblem(ours)) out.push({ check: 'tool', ok: false, file: jsonFile, detail: `catalog not recomputed: ${ours.problem}` });
      else if (ours === tool.catalogVersion)
        out.push({
          check: 'tool',
          ok: true,
          file: jsonFile,
          detail:
            `kube-preflight ${tool.version}, check catalog ` +
            `${tool.catalogVersion}${plugins.length ? ` (plugins ${plugins.join(', ')})` : ''}`,
        });
      else {
        const hint = plugins.length ? ` (the scan loaded plugins ${plugins.join(', ')}: give the same with --plugin)` : '';
        out.push({
          check: 'tool',
          ok: false,
          file: jsonFile,
          detail: `check catalog ${tool.catalogVersion} is not kube-preflight ${TOOL_VERSION}'s (${ours})${hint}`,
        });
      }
    }
  }

  // (d) the renderings beside it
  for (const [check, name] of [
    ['html', FILE_NAMES.html],
    ['pdf', FILE_NAMES.pdf],
  ] as const) {
    const file = join(dir, name);
    const content = await readOptional(file, RENDERED_MAX_BYTES);
    if (content === undefined) continue;
    if (isProblem(content)) {
      out.push({ check, ok: false, file, detail: content.problem });
      continue;
    }
    let recorded: Partial<Evidence>;
    try {
      recorded = check === 'html' ? readHtmlEvidence(content.toString('utf8')) : await readPdfEvidence(content);
    } catch (e) {
      out.push({
        check,
        ok: false,
        file,
        detail: `not a readable PDF: ${((e as Partial<Error> | null | undefined)?.message ?? String(e)).split('\n')[0]}`,
      });
      continue;
    }
    out.push({ check, file, ...compareEvidence(recorded, digest, input.publicKey) });
  }
  return out;
}
