/**
 * `kube-preflight fleet DIR...`: the fleet summary (src/fleet/summary.ts) from stored reports,
 * every report.json found under the folders (src/fleet/store.ts), as `scan` with several
 * sources writes it. Exit code: the fleet verdict's, as for `scan`.
 */
import { Command } from 'commander';
import { addS3Flags, type S3Flags } from '../fleet/s3.js';
import { parseList } from './options.js';

interface FleetFlags extends S3Flags {
  format?: string[];
  outputDir?: string;
  quiet?: boolean;
}

export function fleetCommand(): Command {
  const cmd = new Command('fleet')
    .description('Summarize many clusters from their stored reports: every report.json under the given folders (one per cluster)')
    .argument(
      '<location...>',
      "folders to search for report.json (recursively), report.json files, or s3://BUCKET/PREFIX (each cluster's latest/report.json)",
    )
    .option(
      '--format <formats>',
      'output formats, comma-separated: json, html, markdown, text (default: text; text,json with -o)',
      parseList,
    )
    .option('-o, --output-dir <dir>', 'write fleet.<format> files into this folder')
    .option('-q, --quiet', 'do not list the files written on stderr');
  return addS3Flags(cmd).action(async (locations: string[], flags: FleetFlags) => {
    const { FatalError } = await import('../contract/errors.js');
    const { EXIT_CODES } = await import('../engine/verdict.js');
    const { prepareOutputDir } = await import('./output.js');
    const { readStoredReports } = await import('../fleet/store.js');
    const { uniqueClusterNames } = await import('../fleet/names.js');
    const { buildFleetSummary } = await import('../fleet/summary.js');
    const { FLEET_FORMATS } = await import('../fleet/render.js');
    const { writeFleet } = await import('../fleet/output.js');
    const given = flags.format?.length ? flags.format : flags.outputDir ? ['text', 'json'] : ['text'];
    const unknown = given.filter((f) => !(FLEET_FORMATS as readonly string[]).includes(f));
    if (unknown.length) throw new FatalError(`--format: unknown fleet format ${unknown.join(', ')} (expected ${FLEET_FORMATS.join(', ')})`);
    const formats = FLEET_FORMATS.filter((f) => given.includes(f));
    if (!flags.outputDir && formats.length > 1) throw new FatalError(`--format ${formats.join(',')}: several formats need -o DIR`);
    if (flags.outputDir) await prepareOutputDir(flags.outputDir);
    const stored = [];
    for (const location of locations) {
      const found = await readStoredReports(location, {
        ...(flags.s3Endpoint ? { endpoint: flags.s3Endpoint } : {}),
        ...(flags.s3PathStyle ? { pathStyle: true } : {}),
      });
      if (found.length === 0) throw new FatalError(`${location}: no report.json found`);
      stored.push(...found);
    }
    const names = uniqueClusterNames(stored.map((s) => s.cluster));
    const summary = buildFleetSummary(
      stored.map(({ file: _file, ...entry }, i) => ({ ...entry, cluster: names[i]! })),
      new Date(),
    );
    await writeFleet(summary, formats, flags.outputDir, flags);
    process.exitCode = EXIT_CODES[summary.summary.verdict];
  });
}
