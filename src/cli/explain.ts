/**
 * `kube-preflight explain CHECK_ID`: rationale, rules, remediation, references, options.
 */
import { Command } from 'commander';
import { FatalError } from '../errors.js';

export function explainCommand(): Command {
  return new Command('explain')
    .description('Explain a check: why it matters, its rules and severities, how to fix findings, its options')
    .argument('<check-id>', 'a check id from `kube-preflight checks`')
    .option('--plugin <path|package>', 'include third-party checks (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (id: string, flags: { plugin?: string[] }) => {
      const { loadRegistry } = await import('./common.js');
      const { inputDef } = await import('../sources/inputs.js');
      const registry = await loadRegistry(flags.plugin);
      const c = registry.get(id);
      if (!c) throw new FatalError(`unknown check "${id}" (see \`kube-preflight checks\`)`);
      const d = c.def;
      const lines: string[] = [];
      lines.push(`${d.id} — ${d.title}`, `family: ${d.family} · default severity: ${d.defaultSeverity} · ${c.origin}`, '');
      lines.push('Why it matters', indent(d.rationale), '');
      lines.push('Rules');
      for (const [rid, r] of Object.entries(d.rules)) lines.push(`  ${rid} (${r.severity ?? d.defaultSeverity}): ${r.title}`);
      lines.push('', 'Remediation', indent(d.remediation), '');
      // How each input counts (README, "Statuses, unknowns and the verdict").
      const anyOf = new Set<string>((d.requiresAnyOf ?? []).flat());
      const someOf = new Set<string>((d.requiresSomeOf ?? []).flat());
      const how = (k: string): string =>
        d.requires.includes(k as never)
          ? 'required'
          : anyOf.has(k)
            ? 'one of the alternatives is required'
            : someOf.has(k)
              ? 'optional; at least one of its group is required'
              : 'optional; not assessed without it';
      lines.push('Inputs');
      for (const k of [...d.requires, ...(d.optional ?? [])]) lines.push(`  ${k} (${how(k)}): ${inputDef(k)?.description ?? ''}`);
      const opts = Object.entries(d.defaultOptions);
      if (opts.length > 0) {
        lines.push('', 'Options (set under checks.<id>.options in --config)');
        for (const [k, v] of opts) {
          const doc = (d.optionDocs as Record<string, string | undefined> | undefined)?.[k];
          lines.push(`  ${k} = ${JSON.stringify(v)}${doc ? ` — ${doc}` : ''}`);
        }
      }
      lines.push('', 'References', ...d.references.map((r) => `  ${r}`));
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
