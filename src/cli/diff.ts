/**
 * `kube-preflight diff A.json B.json`: what changed between two scans (new, resolved, changed
 * severity, check status changes) as text, JSON or markdown.
 */
import { Command, Option } from 'commander';

export function diffCommand(): Command {
  return new Command('diff')
    .description('Show what changed between two reports: new, resolved and re-rated findings')
    .argument('<before>', 'the earlier report.json')
    .argument('<after>', 'the later report.json')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action(async (a: string, b: string, flags: { format: 'text' | 'json' | 'markdown' }) => {
      const { diffReports, loadReport } = await import('../report/baseline.js');
      const { renderDiffMarkdown, renderDiffText } = await import('../render/diff.js');
      const d = diffReports(await loadReport(a, 'diff'), await loadReport(b, 'diff'));
      process.stdout.write(
        flags.format === 'json'
          ? `${JSON.stringify(d, null, 2)}\n`
          : flags.format === 'markdown'
            ? renderDiffMarkdown(d)
            : renderDiffText(d),
      );
    });
}
