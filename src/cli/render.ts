/**
 * `kube-preflight render REPORT.json --format html,pdf -o DIR`: draws an earlier report again,
 * without the cluster. The report is checked against the schema first (`loadReport`). Exits 0
 * once written (the verdict was the scan's business), 2 on a bad report or a missing browser.
 */
import { Command } from 'commander';
import { FORMATS } from '../render/formats.js';
import { parseList } from './options.js';
import { addPdfFlags, emit, resolveFormats, resolveSigningKey, type OutputFlags } from './output.js';

export function renderCommand(): Command {
  const cmd = new Command('render')
    .description('Render an earlier report.json as text, HTML, PDF, markdown, SARIF or JUnit, without the cluster')
    .argument('<report.json>', 'a report written by kube-preflight scan')
    .option('--format <formats>', `output formats, comma-separated: ${FORMATS.join(', ')} (default: text; html with -o)`, parseList)
    .option('-o, --output-dir <dir>', 'write report.<format> files into this folder')
    .option('--no-color', 'no colours in the text output')
    .option('--wide', 'text output: also print the table of every check (status, findings, subjects evaluated)')
    .option('-q, --quiet', 'do not list the files written');
  addPdfFlags(cmd);
  cmd.action(async (file: string, flags: OutputFlags) => {
    const formats = await resolveFormats(flags.format, flags, { alone: ['text'], withDir: ['html'] });
    const signer = await resolveSigningKey(flags, formats);
    const { loadReport } = await import('../report/baseline.js');
    const report = await loadReport(file, 'render');
    await emit(report, formats, flags, signer);
    process.exitCode = 0;
  });
  return cmd;
}
