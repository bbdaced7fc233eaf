/**
 * The `kube-preflight` program. The command definitions load nothing heavy: each action
 * imports the checks, the sources and the renderers it needs when it runs, so `--version`,
 * `--help` and a live scan's first request do not wait for them.
 * The program is also the only place that exits: a `FatalError` (or a usage error)
 * prints one line and exits 2; anything unexpected prints one line (a stack with --debug)
 * and exits 2 as well. What it prints passes through `terminalSafe`: a message that quotes a
 * file name, a YAML snippet or a report's content cannot drive the terminal.
 */
import { Command, CommanderError } from 'commander';
import { FatalError } from '../contract/errors.js';
import { TOOL_VERSION } from '../paths.js';
import { terminalSafe, terminalSafeLines } from '../render/escape.js';
import { checksCommand } from './checks.js';
import { collectCommand } from './collect.js';
import { diffCommand } from './diff.js';
import { explainCommand } from './explain.js';
import { fleetCommand } from './fleet.js';
import { rbacCommand } from './rbac-command.js';
import { renderCommand } from './render.js';
import { scanCommand } from './scan.js';
import { trendCommand } from './trend.js';
import { verifyCommand } from './verify.js';

/**
 * The command tree. `name` is how the user called the program: `kube-preflight`, or
 * `kubectl preflight` when kubectl runs the `kubectl-preflight` plugin executable (usage lines
 * then show what the user typed).
 */
export function program(name = 'kube-preflight'): Command {
  const p = new Command(name)
    .description('Read-only pre-flight and audit scanner for Kubernetes clusters')
    .version(TOOL_VERSION, '--version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const commands = [
    scanCommand(async (flags) => (await import('../fleet/scan.js')).runFleetScan(flags)),
    renderCommand(),
    collectCommand(),
    checksCommand(),
    explainCommand(),
    diffCommand(),
    rbacCommand(),
    verifyCommand(),
    fleetCommand(),
    trendCommand(),
  ];
  // Usage errors take the prefix of every other error: `kube-preflight: error: …`.
  const outputError = (text: string, write: (str: string) => void): void => {
    write(terminalSafeLines(text.replace(/^error: /, 'kube-preflight: error: ')));
  };
  for (const c of [p, ...commands]) c.configureOutput({ outputError });
  for (const c of commands) p.addCommand(c.exitOverride());
  return p;
}

/**
 * Standard output failed. A reader that went away (`… | head`: EPIPE, then writes to the closed
 * stream) only stops the output, as SIGPIPE stops other tools, but without a stack trace: the
 * scan still writes its files and exits with its verdict's code. Any other failure is one line
 * and exit 2.
 */
function onStdoutError(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
  process.stderr.write(`kube-preflight: error: cannot write to standard output: ${terminalSafe(e.code ?? e.message)}\n`);
  process.exit(2);
}

/** Runs the program on `process.argv`-shaped `argv`; resolves to the exit code. */
export async function main(argv: string[], name?: string): Promise<number> {
  if (!process.stdout.listeners('error').includes(onStdoutError)) process.stdout.on('error', onStdoutError);
  try {
    await program(name).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; usage errors (already printed by commander) exit 2.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof FatalError) {
      process.stderr.write(`kube-preflight: error: ${terminalSafe(e.message)}\n`);
      return 2;
    }
    process.stderr.write(
      `kube-preflight: internal error: ${terminalSafe((e as Partial<Error> | null | undefined)?.message ?? String(e))}\n`,
    );
    if (argv.includes('--debug')) process.stderr.write(`${terminalSafeLines((e as Partial<Error> | null | undefined)?.stack ?? '')}\n`);
    return 2;
  }
}
