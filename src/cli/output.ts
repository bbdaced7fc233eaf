/**
 * Writing a report in the chosen formats, shared by `scan` and `render`: to stdout for one
 * text format, else `report.<ext>` files in `-o DIR` (`FILE_NAMES`). The text format is also
 * printed when written to a folder; `report.json` is written in chunks, hashed as they go, for
 * its `report.json.sha256` sidecar. Report files of an earlier run that this run does not write
 * are removed, so a folder never mixes runs.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, mkdir, open, rename, rm, stat, statfs } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadSigningKey, signDetached, type SigningKey } from '../evidence/keys.js';
import { sha256Hex, type Evidence } from '../evidence/stamp.js';
import { FatalError } from '../contract/errors.js';
import { BINARY_FORMATS, FILE_NAMES, FORMATS, type Format } from '../render/formats.js';
import { jsonByteChunks, jsonSha256 } from '../render/json.js';
import type { Paper } from '../render/pdf.js';
import type { Report } from '../contract/report.js';

export interface OutputFlags {
  format?: string[];
  outputDir?: string;
  chrome?: string;
  paper: Paper;
  quiet?: boolean;
  color: boolean;
  /** `--sign-key FILE`: the Ed25519 private key that signs report.json. */
  signKey?: string;
  /** Text output: also print the per-check table. */
  wide?: boolean;
  /** false: with -o DIR, the text format is only written to report.txt, not printed (a fleet scan prints its summary instead). */
  printText?: boolean;
}

function parsePaper(value: string): Paper {
  const v = value.toLowerCase();
  if (v === 'a4') return 'A4';
  if (v === 'letter') return 'Letter';
  throw new InvalidArgumentError('expected a4 or letter');
}

/** Adds `--chrome` and `--paper` (PDF output) and `--sign-key` to a command. */
export function addPdfFlags(cmd: Command): Command {
  return cmd
    .option(
      '--sign-key <file>',
      'sign report.json with this Ed25519 private key (PEM, PKCS#8): writes report.json.sig; needs -o DIR and the json format',
    )
    .option(
      '--chrome <path>',
      "Chrome or Chromium to print the PDF with (default: $PUPPETEER_EXECUTABLE_PATH, the system Chromium/Chrome, puppeteer's cache)",
    )
    .addOption(new Option('--paper <size>', 'PDF paper size: a4 or letter').argParser(parsePaper).default('A4', 'a4'));
}

/**
 * Checks the formats: known, and several only with a folder. A PDF needs a browser: it is
 * looked for now, so a scan does not run for minutes and then fail to print.
 */
export async function resolveFormats(
  given: string[] | undefined,
  flags: Pick<OutputFlags, 'outputDir' | 'chrome'>,
  defaults: { alone: Format[]; withDir: Format[] },
): Promise<Format[]> {
  const list = given && given.length > 0 ? given : flags.outputDir ? defaults.withDir : defaults.alone;
  const unknown = list.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0) throw new FatalError(`--format: unknown format ${unknown.join(', ')} (expected ${FORMATS.join(', ')})`);
  const formats = [...new Set(list)] as Format[];
  if (!flags.outputDir && formats.length > 1) throw new FatalError(`--format ${formats.join(',')}: several formats need -o DIR`);
  const binary = formats.find((f) => BINARY_FORMATS.includes(f));
  if (binary && !flags.outputDir && process.stdout.isTTY)
    throw new FatalError(`--format ${binary} writes a binary file: give -o DIR, or redirect stdout to a file`);
  if (formats.includes('pdf')) await (await import('../render/browser.js')).findBrowser(flags.chrome);
  if (flags.outputDir) await prepareOutputDir(flags.outputDir);
  return formats;
}

/**
 * Kernel file systems that are no place to write to (`statfs` types): proc, sysfs, cgroup,
 * cgroup2, debugfs, tracefs, securityfs. Creating folders in them can even hang.
 */
const PSEUDO_FS = new Set([0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x64626720, 0x74726163, 0x73636673]);

/**
 * Checks `-o DIR` before anything runs, and creates it: its nearest existing folder must be
 * a writable folder on an ordinary file system. Throws `FatalError` naming the path.
 */
export async function prepareOutputDir(dir: string): Promise<void> {
  let existing = resolve(dir);
  for (;;) {
    const st = await stat(existing).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && dirname(existing) !== existing) return undefined;
      throw new FatalError(`-o ${dir}: ${fsReason(e)}`);
    });
    if (st?.isDirectory()) break;
    if (st) throw new FatalError(`-o ${dir}: ${existing === resolve(dir) ? 'exists' : existing} and is not a folder`);
    existing = dirname(existing);
  }
  const fs = await statfs(existing).catch(() => undefined);
  if (fs && PSEUDO_FS.has(fs.type))
    throw new FatalError(`-o ${dir}: ${existing} is a kernel file system (such as /proc or /sys), not a place to write to`);
  await access(existing, constants.W_OK).catch((e: unknown) => {
    throw new FatalError(`-o ${dir}: ${existing} is not writable: ${fsReason(e)}`);
  });
  await mkdir(dir, { recursive: true }).catch((e: unknown) => {
    throw new FatalError(`-o ${dir}: cannot create the folder: ${fsReason(e)}`);
  });
}

/**
 * Writes one report file in `-o DIR`, chunk by chunk (a string or bytes is one chunk): to a
 * temporary file renamed over `name`, so a reader never sees half a report, and neither a FIFO
 * nor a folder in the way is opened. A chunk is written while the next one is produced (each
 * chunk must be one of its own, not a buffer reused for the next). Returns the file's path and
 * the SHA-256 (hex) of its bytes, hashed as they are written. Throws `FatalError` naming the
 * file (a full disk, a read-only folder…); the temporary file is removed.
 */
export async function writeReportFile(
  dir: string,
  name: string,
  content: string | Uint8Array | Iterable<string | Uint8Array>,
): Promise<{ file: string; sha256: string }> {
  const file = join(dir, name);
  const st = await lstat(file).catch(() => undefined);
  if (st && !st.isFile() && !st.isSymbolicLink()) throw new FatalError(`-o ${dir}: ${file} exists and is not a regular file`);
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  const hash = createHash('sha256');
  try {
    const out = await open(tmp, 'w');
    let writing: Promise<unknown> = Promise.resolve();
    try {
      for (const chunk of typeof content === 'string' || content instanceof Uint8Array ? [content] : content) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        hash.update(bytes);
        await writing;
        writing = out.write(bytes);
      }
      await writing;
    } finally {
      // When producing a chunk failed, the error is that one, not the write's.
      writing.catch(() => undefined);
      await out.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new FatalError(`-o ${dir}: cannot write ${file}: ${fsReason(e)}`);
  }
  return { file, sha256: hash.digest('hex') };
}

const FS_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  ENOENT: 'no such file or folder',
};

/** `no space left on device (ENOSPC)`: one line for a file system error. */
function fsReason(e: unknown): string {
  const { code, message } = (e ?? {}) as Partial<NodeJS.ErrnoException>;
  const known = code ? FS_REASONS[code] : undefined;
  return known ? `${known} (${code})` : (message ?? String(e)).split('\n')[0]!;
}

/** The files a run with these formats writes in `-o DIR`: `FILE_NAMES`, plus the sidecars of `report.json` (`.sig` when `signed`). */
export function reportFilesOf(formats: readonly Format[], signed = true): string[] {
  return formats.flatMap((f) =>
    f === 'json' ? [FILE_NAMES.json, `${FILE_NAMES.json}.sha256`, ...(signed ? [`${FILE_NAMES.json}.sig`] : [])] : [FILE_NAMES[f]],
  );
}

/**
 * Removes from `-o DIR` the report files an earlier run wrote in other formats (only the names
 * kube-preflight writes, `reportFilesOf` every format, and only regular files), saying so on
 * stderr, so that `report.html` of last week never sits beside today's `report.json`. Returns
 * the removed paths. Throws `FatalError` naming the file when one cannot be removed.
 */
export async function removeStaleReports(dir: string, formats: readonly Format[], signed = false): Promise<string[]> {
  const kept = new Set(reportFilesOf(formats, signed));
  const removed: string[] = [];
  for (const name of reportFilesOf(FORMATS)) {
    if (kept.has(name)) continue;
    const file = join(dir, name);
    const st = await lstat(file).catch(() => undefined);
    if (!st?.isFile()) continue;
    await rm(file).catch((e: unknown) => {
      throw new FatalError(`-o ${dir}: cannot remove ${file}, left by an earlier run: ${fsReason(e)}`);
    });
    removed.push(file);
  }
  if (removed.length > 0)
    process.stderr.write(`removed ${removed.join(', ')}: report files of an earlier run in formats this run does not write\n`);
  return removed;
}

/**
 * `--sign-key FILE`: checked before anything runs (needs `-o DIR` and the json format), the
 * key read once. Throws `FatalError` naming the file (`loadSigningKey`).
 */
export async function resolveSigningKey(
  flags: Pick<OutputFlags, 'signKey' | 'outputDir'>,
  formats: Format[],
): Promise<SigningKey | undefined> {
  if (!flags.signKey) return undefined;
  if (!flags.outputDir || !formats.includes('json'))
    throw new FatalError(
      `--sign-key signs report.json: give -o DIR and the json format (--format ${[...new Set([...formats, 'json'])].join(',')})`,
    );
  return loadSigningKey(flags.signKey);
}

/** Writes `report.json.sig` (detached Ed25519 signature of exactly `json`, its bytes) next to report.json. */
async function writeSignature(dir: string, json: Buffer, key: SigningKey, quiet?: boolean): Promise<void> {
  const { file } = await writeReportFile(dir, `${FILE_NAMES.json}.sig`, signDetached(key, json));
  if (!quiet) process.stderr.write(`wrote ${file} (signed with key ${key.fingerprint})\n`);
}

/**
 * Writes the report in each format. The HTML and PDF record the SHA-256 of report.json's
 * bytes and, with `signer`, the signing key's fingerprint; with `signer` and `-o DIR`,
 * report.json gets its detached signature `report.json.sig`. The report is serialized to JSON
 * once: when report.json is written to `-o DIR` beside an HTML or PDF, it is written first and
 * the digest they record is the one taken as it was written.
 */
export async function emit(
  report: Report,
  formats: Format[],
  flags: OutputFlags,
  signer?: SigningKey,
  run: { scanDurationSeconds?: number } = {},
): Promise<void> {
  if (flags.outputDir) await removeStaleReports(flags.outputDir, formats, signer !== undefined);
  // The renderers (and cli-table3) load only when a format other than JSON is written.
  const render: typeof import('../render/index.js').render = async (...args) => (await import('../render/index.js')).render(...args);
  const onlyJson = formats.every((f) => f === 'json');
  const text = {
    color: flags.color && process.stdout.isTTY && !process.env.NO_COLOR,
    width: onlyJson ? 120 : (await import('../render/table.js')).terminalWidth(120),
    wide: flags.wide === true,
  };
  // Signing needs the whole report.json; otherwise it is written as it is produced, never held
  // whole, hashed chunk by chunk.
  const json = signer ? Buffer.concat([...jsonByteChunks(report)]) : undefined;
  const needsDigest = signer !== undefined || formats.includes('html') || formats.includes('pdf');
  const digestFromFile = needsDigest && flags.outputDir !== undefined && formats.includes('json');
  const ordered: Format[] = digestFromFile ? ['json', ...formats.filter((f) => f !== 'json')] : formats;
  const evidenceFor = (reportSha256: string): Evidence => ({ reportSha256, ...(signer ? { signer: signer.fingerprint } : {}) });
  // Without report.json in -o DIR, the digest is taken by a pass over the chunks.
  let evidence: Evidence | undefined =
    needsDigest && !digestFromFile ? evidenceFor(json !== undefined ? sha256Hex(json) : jsonSha256(report)) : undefined;
  const options = () => ({
    text,
    ...(evidence ? { evidence } : {}),
    ...run,
    pdf: { paper: flags.paper, ...(evidence ? { evidence } : {}), ...(flags.chrome ? { chrome: flags.chrome } : {}) },
  });
  for (const format of ordered) {
    const opts = options();
    if (!flags.outputDir) {
      // The JSON report is written as it is produced, never held whole.
      if (format === 'json') for (const chunk of jsonByteChunks(report)) process.stdout.write(chunk);
      else process.stdout.write(await render(format, report, opts));
      continue;
    }
    if (format === 'text' && flags.printText !== false) process.stdout.write(await render('text', report, opts));
    const content =
      format === 'json'
        ? (json ?? jsonByteChunks(report))
        : format === 'text'
          ? await render('text', report, { ...opts, text: { color: false, width: 120, wide: flags.wide === true } })
          : await render(format, report, opts);
    const { file, sha256 } = await writeReportFile(flags.outputDir, FILE_NAMES[format], content);
    if (!flags.quiet) process.stderr.write(`wrote ${file}\n`);
    if (format === 'json') {
      if (digestFromFile) evidence = evidenceFor(sha256);
      // The sidecar lets an auditor check the report was not edited: `sha256sum -c report.json.sha256`.
      await writeReportFile(flags.outputDir, `${FILE_NAMES.json}.sha256`, `${sha256}  ${FILE_NAMES.json}\n`);
      if (signer && json !== undefined) await writeSignature(flags.outputDir, json, signer, flags.quiet);
    }
  }
}
