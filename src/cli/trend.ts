/**
 * `kube-preflight trend DIR|FILE... [-o DIR]`: one cluster over a series of its reports
 * (`src/trend/`). Prints the runs as a table fitted to the terminal; with `-o DIR` also writes
 * trend.json (`schema/trend.schema.json`), trend.html (charts, self-contained) and trend.md.
 * Exits 0 once done, 2 on an unreadable or invalid report (named), or reports of two clusters.
 */
import { join } from 'node:path';
import { Command } from 'commander';

interface TrendFlags {
  outputDir?: string;
  quiet?: boolean;
}

/** The files `-o DIR` receives. */
export const TREND_FILES = { json: 'trend.json', html: 'trend.html', markdown: 'trend.md' } as const;

export function trendCommand(): Command {
  return new Command('trend')
    .description(
      'Show how one cluster changed over a series of its reports: findings opened and closed, time to fix, ' +
        'certificate days left, cluster admins, verdicts',
    )
    .argument('<report...>', "report.json files, or folders searched for report.json files (e.g. the CronJob's /reports)")
    .option('-o, --output-dir <dir>', `also write ${Object.values(TREND_FILES).join(', ')} into this folder`)
    .option('-q, --quiet', 'do not list the files written')
    .action(async (targets: string[], flags: TrendFlags) => {
      const { writeFile } = await import('node:fs/promises');
      const { prepareOutputDir } = await import('./output.js');
      const { loadRuns } = await import('../trend/load.js');
      const { buildTrend } = await import('../trend/build.js');
      const { renderTrendText } = await import('../trend/text.js');
      const { terminalWidth } = await import('../render/table.js');
      if (flags.outputDir) await prepareOutputDir(flags.outputDir);
      const { runs, warnings } = await loadRuns(targets);
      const trend = buildTrend(runs, warnings);
      process.stdout.write(renderTrendText(trend, terminalWidth(120)));
      if (flags.outputDir) {
        const { renderTrendHtml } = await import('../trend/html.js');
        const { renderTrendMarkdown } = await import('../trend/markdown.js');
        const files: Array<[string, string]> = [
          [TREND_FILES.json, `${JSON.stringify(trend, null, 2)}\n`],
          [TREND_FILES.html, renderTrendHtml(trend)],
          [TREND_FILES.markdown, renderTrendMarkdown(trend)],
        ];
        for (const [name, text] of files) {
          const path = join(flags.outputDir, name);
          await writeFile(path, text);
          if (!flags.quiet) process.stderr.write(`wrote ${path}\n`);
        }
      }
      process.exitCode = 0;
    });
}
