/**
 * `kube-preflight verify DIR|report.json [--public-key FILE] [--sig FILE] [--plugin …]`:
 * checks a report's signature, schema, tool and catalog versions, and that report.html /
 * report.pdf beside it were drawn from it (`src/evidence/verify.ts`). Prints a table of the
 * checks; exits 0 when every check is OK, 1 when one FAILED, 2 on a usage error (a missing
 * target, an unreadable or wrong key).
 */
import { Command } from 'commander';
import pc from 'picocolors';
import { loadPublicKey } from '../evidence/keys.js';
import { terminalSafe } from '../render/escape.js';

interface VerifyFlags {
  publicKey?: string;
  sig?: string;
  plugin?: string[];
  color: boolean;
}

export function verifyCommand(): Command {
  return new Command('verify')
    .description(
      'Check a report: its signature (report.json.sig), schema, tool and catalog versions, and that ' +
        'report.html/report.pdf beside it were drawn from it',
    )
    .argument('<dir|report.json>', 'a folder written by scan -o, or a report.json')
    .option('--public-key <file>', "the signer's Ed25519 public key (PEM) to check report.json.sig with")
    .option('--sig <file>', 'the detached signature (default: report.json.sig beside report.json)')
    .option(
      '--plugin <path|package>',
      'plugins the scan loaded, to recompute its check catalog (repeatable)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option('--no-color', 'no colours')
    .action(async (target: string, flags: VerifyFlags) => {
      const { verifyReport } = await import('../evidence/verify.js');
      const { plainTable, terminalWidth } = await import('../render/table.js');
      const { loadRegistry } = await import('./common.js');
      const publicKey = flags.publicKey ? await loadPublicKey(flags.publicKey) : undefined;
      const checks = await verifyReport({
        target,
        ...(publicKey ? { publicKey } : {}),
        ...(flags.sig ? { sig: flags.sig } : {}),
        catalogVersion: async () => (await loadRegistry(flags.plugin)).catalogVersion(),
      });
      const color = flags.color && process.stdout.isTTY && !process.env.NO_COLOR;
      const result = (ok: boolean): string => (ok ? (color ? pc.green('OK') : 'OK') : color ? pc.red('FAILED') : 'FAILED');
      const rows = checks.map((c) => [c.check.toUpperCase(), result(c.ok), terminalSafe(c.file), terminalSafe(c.detail)]);
      const width = process.stdout.isTTY || process.env.COLUMNS ? terminalWidth(120) : undefined;
      process.stdout.write(`${plainTable(['CHECK', 'RESULT', 'FILE', 'DETAIL'], rows, width)}\n`);
      process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
    });
}
