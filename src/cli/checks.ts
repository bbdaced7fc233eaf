/**
 * `kube-preflight checks`: the catalog (id, family, severity, title, inputs).
 */
import { Command } from 'commander';
import type { RegisteredCheck } from '../contract/check.js';

export function catalogEntry(c: RegisteredCheck): Record<string, unknown> {
  const d = c.def;
  return {
    id: d.id,
    family: d.family,
    title: d.title,
    defaultSeverity: d.defaultSeverity,
    rationale: d.rationale,
    rules: Object.entries(d.rules).map(([id, r]) => ({ id, title: r.title, severity: r.severity ?? d.defaultSeverity })),
    requires: [...d.requires],
    optional: [...(d.optional ?? [])],
    requiresAnyOf: (d.requiresAnyOf ?? []).map((g) => [...g]),
    requiresSomeOf: (d.requiresSomeOf ?? []).map((g) => [...g]),
    options: d.defaultOptions,
    references: d.references,
    origin: c.origin,
  };
}

export function checksCommand(): Command {
  return new Command('checks')
    .description('List the checks: id, family, default severity, title and the inputs they read')
    .option('--json', 'print the catalog as JSON')
    .option('--plugin <path|package>', 'include third-party checks (repeatable)', (v: string, prev: string[] | undefined) => [
      ...(prev ?? []),
      v,
    ])
    .action(async (flags: { json?: boolean; plugin?: string[] }) => {
      const { loadRegistry } = await import('./common.js');
      const registry = await loadRegistry(flags.plugin);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ checks: registry.checks.map(catalogEntry) }, null, 2)}\n`);
        return;
      }
      const { plainTable, terminalWidth } = await import('../render/table.js');
      const rows = registry.checks.map((c) => [
        c.def.id,
        c.def.family,
        c.def.defaultSeverity,
        c.def.title,
        [...c.def.requires, ...(c.def.optional ?? []).map((k) => `${k}?`)].join(', '),
      ]);
      // The title and the inputs wrap to the terminal's width.
      process.stdout.write(`${plainTable(['ID', 'FAMILY', 'SEVERITY', 'TITLE', 'INPUTS'], rows, terminalWidth(160), [3, 4])}\n`);
    });
}
