/**
 * Writing a report in the chosen formats, shared by `scan` and `render`: to stdout for one
 * text format, else `report.<ext>` files in `-o DIR` (`FILE_NAMES`). The text format is also
 * printed when written to a folder; `report.json` gets a `report.json.sha256` sidecar.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { FatalError } from '../errors.js';
import { findBrowser } from '../render/browser.js';
import { BINARY_FORMATS, FILE_NAMES, FORMATS, render, type Format } from '../render/index.js';
import type { Paper } from '../render/pdf.js';
import type { Report } from '../report/model.js';

export interface OutputFlags {
  format?: string[];
  outputDir?: string;
  chrome?: string;
  paper: Paper;
  quiet?: boolean;
  color: boolean;
}

function parsePaper(value: string): Paper {
  const v = value.toLowerCase();
  if (v === 'a4') return 'A4';
  if (v === 'letter') return 'Letter';
  throw new InvalidArgumentError('expected a4 or letter');
}

/** Adds `--chrome` and `--paper` (PDF output) to a command. */
export function addPdfFlags(cmd: Command): Command {
  return cmd
    .option('--chrome <path>', 'Chrome or Chromium to print the PDF with (default: $PUPPETEER_EXECUTABLE_PATH, the system Chromium/Chrome, puppeteer\'s cache)')
    .addOption(new Option('--paper <size>', 'PDF paper size: a4 or letter').argParser(parsePaper).default('A4', 'a4'));
}

/**
 * Checks the formats: known, and several only with a folder. A PDF needs a browser: it is
 * looked for now, so a scan does not run for minutes and then fail to print.
 */
export async function resolveFormats(given: string[] | undefined, flags: Pick<OutputFlags, 'outputDir' | 'chrome'>, defaults: { alone: Format[]; withDir: Format[] }): Promise<Format[]> {
  const list = given && given.length > 0 ? given : flags.outputDir ? defaults.withDir : defaults.alone;
  const unknown = list.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0) throw new FatalError(`--format: unknown format ${unknown.join(', ')} (expected ${FORMATS.join(', ')})`);
  const formats = [...new Set(list)] as Format[];
  if (!flags.outputDir && formats.length > 1) throw new FatalError(`--format ${formats.join(',')}: several formats need -o DIR`);
  const binary = formats.find((f) => BINARY_FORMATS.includes(f));
  if (binary && !flags.outputDir && process.stdout.isTTY) throw new FatalError(`--format ${binary} writes a binary file: give -o DIR, or redirect stdout to a file`);
  if (formats.includes('pdf')) await findBrowser(flags.chrome);
  return formats;
}

/** Writes the report in each format. */
export async function emit(report: Report, formats: Format[], flags: OutputFlags): Promise<void> {
  const text = { color: flags.color && process.stdout.isTTY === true && !process.env.NO_COLOR, width: process.stdout.columns ?? 120 };
  const opts = { text, pdf: { paper: flags.paper, ...(flags.chrome ? { chrome: flags.chrome } : {}) } };
  if (flags.outputDir) await mkdir(flags.outputDir, { recursive: true });
  for (const format of formats) {
    if (!flags.outputDir) {
      process.stdout.write(await render(format, report, opts));
      continue;
    }
    if (format === 'text') process.stdout.write(await render('text', report, opts));
    const file = join(flags.outputDir, FILE_NAMES[format]);
    const content = format === 'text' ? await render('text', report, { ...opts, text: { color: false, width: 120 } }) : await render(format, report, opts);
    await writeFile(file, content);
    if (!flags.quiet) process.stderr.write(`wrote ${file}\n`);
    if (format === 'json') {
      // The sidecar lets an auditor check the report was not edited: `sha256sum -c report.json.sha256`.
      await writeFile(`${file}.sha256`, `${createHash('sha256').update(content).digest('hex')}  ${FILE_NAMES.json}\n`);
    }
  }
}
