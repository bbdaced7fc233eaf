/**
 * `kube-preflight explain ID`: rationale, rules, remediation, references, options of a check.
 * ID is a check id, a family (its checks, one line each), or a SARIF rule id `check/rule`
 * (the check, with that rule first). A typo gets the nearest ids as a suggestion.
 */
import { Command } from 'commander';
import { distance } from 'fastest-levenshtein';
import { FatalError } from '../contract/errors.js';
import type { Registry } from '../engine/registry.js';
import { FAMILIES, type Family, type RegisteredCheck } from '../contract/check.js';

/** What an `explain` argument names. */
export type ExplainTarget =
  { kind: 'check'; check: RegisteredCheck; rule?: string } | { kind: 'family'; family: Family; checks: RegisteredCheck[] };

/**
 * Resolves an `explain` argument: a check id, then a family, then `check/rule` (split at the
 * last `/`, so plugin ids such as `sample/versions-container-runtime/rule` work). Throws
 * `FatalError` for anything else, with the nearest ids (`suggestIds`) when there are some.
 */
export function resolveExplainTarget(registry: Registry, arg: string): ExplainTarget {
  const check = registry.get(arg);
  if (check) return { kind: 'check', check };
  if ((FAMILIES as readonly string[]).includes(arg)) {
    const checks = registry.checks.filter((c) => c.def.family === arg);
    if (checks.length > 0) return { kind: 'family', family: arg as Family, checks };
  }
  const slash = arg.lastIndexOf('/');
  const owner = slash > 0 ? registry.get(arg.slice(0, slash)) : undefined;
  if (owner && Object.hasOwn(owner.def.rules, arg.slice(slash + 1))) return { kind: 'check', check: owner, rule: arg.slice(slash + 1) };
  const near = suggestIds(arg, explainIds(registry));
  const hint = near.length > 0 ? `; did you mean ${near.join(' or ')}?` : '';
  const what = owner ? `unknown rule "${arg.slice(slash + 1)}" of check ${owner.def.id}` : `unknown check "${arg}"`;
  throw new FatalError(`${what}${hint} (see \`kube-preflight checks\`)`);
}

/** Every id `explain` accepts: check ids, families that have checks, and `check/rule` ids. */
export function explainIds(registry: Registry): string[] {
  const families = FAMILIES.filter((f) => registry.checks.some((c) => c.def.family === f));
  return [
    ...registry.checks.map((c) => c.def.id),
    ...families,
    ...registry.checks.flatMap((c) => Object.keys(c.def.rules).map((r) => `${c.def.id}/${r}`)),
  ];
}

/**
 * The candidates nearest to `word` by Levenshtein distance (at most 3, sorted), when the
 * nearest is within a third of the word's length (at least 2 edits): `versions-kubelet-skw` →
 * `versions-kubelet-skew`. Empty when nothing is that close.
 */
export function suggestIds(word: string, candidates: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best = Infinity;
  let near: string[] = [];
  for (const c of candidates) {
    const d = distance(word, c);
    if (d > limit || d > best) continue;
    if (d < best) {
      best = d;
      near = [];
    }
    near.push(c);
  }
  return [...new Set(near)].sort().slice(0, 3);
}

export function explainCommand(): Command {
  return new Command('explain')
    .description(
      'Explain a check (why it matters, its rules and severities, how to fix findings, its options), a ' +
        'family, or a SARIF rule id check/rule',
    )
    .argument('<id>', 'a check id from `kube-preflight checks`, a family (certs, versions…), or check/rule')
    .option('--plugin <path|package>', 'include third-party checks (repeatable)', (v: string, prev: string[] | undefined) => [
      ...(prev ?? []),
      v,
    ])
    .action(async (id: string, flags: { plugin?: string[] }) => {
      const { loadRegistry } = await import('./common.js');
      const { inputDef } = await import('../sources/inputs.js');
      const { describeOption, optionSpec } = await import('../engine/options.js');
      const registry = await loadRegistry(flags.plugin);
      const target = resolveExplainTarget(registry, id);
      const lines =
        target.kind === 'family'
          ? familyLines(target.family, target.checks)
          : checkLines(target.check, target.rule, inputDef, (k) => describeOption(optionSpec(target.check.def, k)!));
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

/** A family: each check with its default severity, title and rules. */
function familyLines(family: Family, checks: RegisteredCheck[]): string[] {
  const lines = [`${family} — ${checks.length} check${checks.length === 1 ? '' : 's'}`, ''];
  for (const { def } of checks) {
    lines.push(`${def.id} (${def.defaultSeverity}): ${def.title}`);
    for (const [rid, r] of Object.entries(def.rules)) lines.push(`  ${rid} (${r.severity ?? def.defaultSeverity}): ${r.title}`);
  }
  lines.push('', 'One check in full: kube-preflight explain <check-id>');
  return lines;
}

/**
 * The explanation of a check; with `rule`, that rule (and its own remediation, if any) first.
 * `inputDef` describes its inputs, `describeOption` one of its options (both loaded with the
 * check registry, not when the program starts).
 */
function checkLines(
  c: RegisteredCheck,
  rule: string | undefined,
  inputDef: (key: string) => { description?: string } | undefined,
  describeOption: (key: string) => string,
): string[] {
  const d = c.def;
  const lines: string[] = [];
  if (rule) {
    const r = d.rules[rule]!;
    lines.push(`${d.id}/${rule} (${r.severity ?? d.defaultSeverity}): ${r.title}`);
    if (r.remediation) lines.push('Remediation of this rule', indent(r.remediation));
    lines.push('', `Rule of the check ${d.id}:`, '');
  }
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
      const doc = d.optionSchema?.[k]?.description ?? d.optionDocs?.[k];
      lines.push(`  ${k} = ${JSON.stringify(v)}: ${describeOption(k)}${doc ? ` — ${doc}` : ''}`);
    }
  }
  lines.push('', 'References', ...d.references.map((r) => `  ${r}`));
  return lines;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
