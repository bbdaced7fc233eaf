/**
 * Writing a fleet summary, shared by `scan` with several sources and `kube-preflight fleet`:
 * `fleet.<ext>` files in `-o DIR` (`FLEET_FILE_NAMES`; fleet files of other formats an earlier
 * run left there are removed), the text also printed; without a folder, the one format on stdout.
 */
import { lstat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReportFile } from '../cli/output.js';
import { FatalError } from '../contract/errors.js';
import { terminalWidth } from '../render/table.js';
import type { FleetSummary } from './model.js';
import {
  FLEET_FILE_NAMES,
  FLEET_FORMATS,
  renderFleetHtml,
  renderFleetJson,
  renderFleetMarkdown,
  renderFleetText,
  type FleetFormat,
} from './render.js';
import { fleetSchemaErrors } from './schema.js';

/** The summary in one format; text `width` columns wide. */
export function renderFleet(summary: FleetSummary, format: FleetFormat, width = 120): string {
  switch (format) {
    case 'json':
      return renderFleetJson(summary);
    case 'html':
      return renderFleetHtml(summary);
    case 'markdown':
      return renderFleetMarkdown(summary);
    case 'text':
      return renderFleetText(summary, width);
  }
}

/**
 * Writes the summary: with `dir`, each format to its file (the text also to stdout), saying
 * so on stderr unless `quiet`; without, the one format to stdout. Throws `Error` when the
 * summary does not match its schema (a bug), `FatalError` naming a file that cannot be written.
 */
export async function writeFleet(
  summary: FleetSummary,
  formats: FleetFormat[],
  dir: string | undefined,
  opts: { quiet?: boolean } = {},
): Promise<void> {
  const problems = fleetSchemaErrors(summary);
  if (problems.length > 0) throw new Error(`the fleet summary does not match its schema: ${problems.slice(0, 10).join('; ')}`);
  if (!dir) {
    for (const f of formats) process.stdout.write(renderFleet(summary, f, terminalWidth(120)));
    return;
  }
  for (const f of FLEET_FORMATS.filter((x) => !formats.includes(x))) {
    const file = join(dir, FLEET_FILE_NAMES[f]);
    if (!(await lstat(file).catch(() => undefined))?.isFile()) continue;
    await rm(file).catch((e: unknown) => {
      const { code, message } = e as NodeJS.ErrnoException;
      throw new FatalError(`-o ${dir}: cannot remove ${file}, left by an earlier run (${code ?? message})`);
    });
    if (!opts.quiet) process.stderr.write(`removed ${file}: a fleet file of an earlier run in a format this run does not write\n`);
  }
  for (const f of formats) {
    if (f === 'text') process.stdout.write(renderFleet(summary, 'text', terminalWidth(120)));
    const { file } = await writeReportFile(dir, FLEET_FILE_NAMES[f], renderFleet(summary, f));
    if (!opts.quiet) process.stderr.write(`wrote ${file}\n`);
  }
}
