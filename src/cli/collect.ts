/**
 * `kube-preflight collect`: read a live cluster (GET requests only) and write what the
 * selected checks need as an offline dump, to scan later or elsewhere with `scan --dump`
 * (README, "Usage"; the dump it writes: docs/dump-format.md).
 */
import { dirname } from 'node:path';
import { Command } from 'commander';
import { terminalSafe } from '../render/escape.js';
import { parseList } from './options.js';
import { prepareOutputDir } from './output.js';
import { addSourceFlags, scanOptionsFrom, type SourceFlags } from './scan.js';

interface CollectFlags extends SourceFlags {
  output: string;
  checks?: string[];
  skip?: string[];
  plugin?: string[];
}

export function collectCommand(): Command {
  const cmd = new Command('collect')
    .description('Read a live cluster (GET requests only) and write what the selected checks need as an offline dump (folder or .tar.gz)')
    .requiredOption('-o, --output <path>', 'dump to write: a new or empty folder, or a file ending in .tar.gz')
    .option('--checks <ids>', 'collect only the inputs of these checks or families, comma-separated', parseList)
    .option('--skip <ids>', 'leave out the inputs only these checks or families need, comma-separated', parseList)
    .option(
      '--plugin <path|package>',
      'also collect what these third-party checks need (repeatable)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    );
  addSourceFlags(cmd);
  cmd.action(async (flags: CollectFlags) => {
    process.exitCode = await runCollect(flags);
  });
  return cmd;
}

async function runCollect(flags: CollectFlags): Promise<number> {
  const { loadRegistry } = await import('./common.js');
  const { inputsFor } = await import('../report/scan.js');
  const { spinnerProgress } = await import('./progress.js');
  const registry = await loadRegistry(flags.plugin);
  const { selected } = registry.select(flags.checks, flags.skip);
  const defs = inputsFor(selected);
  const options = scanOptionsFrom(flags);
  const { checkOutput, collect } = await import('../sources/collect.js');
  const { LiveSource } = await import('../sources/live.js');
  await checkOutput(flags.output);
  await prepareOutputDir(/\.(tar\.gz|tgz)$/i.test(flags.output) ? dirname(flags.output) : flags.output);
  const source = await LiveSource.open(options);
  const progress = await spinnerProgress(!flags.quiet && process.stderr.isTTY, 'Collecting');
  try {
    const s = await collect(source, defs, options, flags.output, progress);
    progress.stop();
    const names = Object.keys(s.metadata.resources);
    process.stdout.write(
      `wrote ${s.output}: ${s.objects} objects of ${names.length} resources, ${s.files} files (${source.http.sent} GET requests)\n`,
    );
    const notRead = [
      ...Object.entries(s.metadata.resources).filter(([, r]) => r.status !== 'ok' && r.status !== 'absent'),
      ...Object.entries(s.metadata.inputs).filter(([, r]) => r.status !== 'ok' && r.status !== 'absent'),
    ];
    for (const [name, r] of notRead)
      process.stdout.write(`  ${r.status}: ${terminalSafe(name)}${r.reason ? ` (${terminalSafe(r.reason)})` : ''}\n`);
    return 0;
  } finally {
    progress.stop();
    await source.close();
  }
}
