/**
 * Maintainer script: generates one page per built-in check (`docs/checks/<id>.md`) and their
 * index (`docs/checks/README.md`) from the check registry. Usage (after `npm run build`):
 *
 *   node dist/scripts/docs.js [--check]
 *
 * Writes the pages that differ and removes pages of checks that no longer exist; with
 * `--check`, writes nothing and exits 1 when a page is not current. Each page gives the check's
 * title, rationale, the header comment of its source file (what it judges and where its rules
 * come from), its rules with severities, its inputs and how each counts, its options with
 * defaults, its remediation and its references. test/docs.test.ts keeps the pages current.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBuiltinChecks } from '../src/engine/registry.js';
import { FAMILIES, type RegisteredCheck } from '../src/contract/check.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { inputDef } from '../src/sources/inputs.js';
import { describeOption, optionSpec } from '../src/engine/options.js';

/** Folder of the generated pages. */
export const CHECK_DOCS_DIR = join(PACKAGE_ROOT, 'docs', 'checks');

const BANNER = '<!-- Generated from the check registry by scripts/docs.ts (`npm run docs`): do not edit by hand. -->';

/** A Markdown table cell: one line, `|` escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** The check's source file in the repository (`checks/<family>/<id>.ts`), also when loaded from `dist/`. */
function sourceFile(c: RegisteredCheck): string {
  return join(PACKAGE_ROOT, 'checks', c.def.family, `${c.def.id}.ts`);
}

/**
 * The first block comment of a check's source file, without its `*` margins: what the check
 * judges, where its rules come from, the shape of its `details`. Empty when there is none.
 */
export function headerComment(source: string): string {
  const m = /^\s*\/\*\*([\s\S]*?)\*\//.exec(source);
  if (!m) return '';
  return m[1]!
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}

/** How an input counts for a check, in the words `explain` uses. */
function inputRole(c: RegisteredCheck, key: string): string {
  const d = c.def;
  if ((d.requires as readonly string[]).includes(key)) return 'required: the check is `error` without it';
  const list = (g: readonly string[]): string => g.map((k) => `\`${k}\``).join(', ');
  const anyOf = (d.requiresAnyOf ?? []).find((g) => (g as readonly string[]).includes(key));
  if (anyOf) return `one of ${list(anyOf)} is required; the others are then not needed`;
  const someOf = (d.requiresSomeOf ?? []).find((g) => (g as readonly string[]).includes(key));
  if (someOf) return `one of ${list(someOf)} is required; each unread one is an unknown`;
  return 'optional; what it feeds is an unknown when it is not read';
}

/** The page of one check (Markdown). */
export function checkPage(c: RegisteredCheck, source: string): string {
  const d = c.def;
  const out: string[] = [BANNER, '', `# ${d.id}`, '', `**${d.title}**`, ''];
  out.push(
    `Family: \`${d.family}\` · default severity: \`${d.defaultSeverity}\` · source: [\`checks/${d.family}/${d.id}.ts\`](../../checks/${d.family}/${d.id}.ts)`,
    '',
  );
  out.push('## Why it matters', '', d.rationale, '');
  const header = headerComment(source);
  if (header) out.push('## What it judges', '', header, '');
  out.push('## Rules', '', '| Rule | Severity | Title |', '| --- | --- | --- |');
  for (const [id, r] of Object.entries(d.rules)) out.push(`| \`${id}\` | ${r.severity ?? d.defaultSeverity} | ${cell(r.title)} |`);
  out.push('');
  const own = Object.entries(d.rules).filter(([, r]) => r.remediation);
  if (own.length > 0) {
    out.push('Rules with their own remediation:', '');
    for (const [id, r] of own) out.push(`- \`${id}\`: ${cell(r.remediation!)}`);
    out.push('');
  }
  out.push('## Inputs', '', '| Input | How it counts | What it holds |', '| --- | --- | --- |');
  for (const k of [...d.requires, ...(d.optional ?? [])])
    out.push(`| \`${k}\` | ${inputRole(c, k)} | ${cell(inputDef(k)?.description ?? '')} |`);
  out.push('');
  const opts = Object.entries(d.defaultOptions);
  out.push('## Options', '');
  if (opts.length === 0) out.push('None.', '');
  else {
    out.push(
      `Set under \`checks.${d.id}.options\` in the \`--config\` file; a value outside what is allowed is refused before the scan.`,
      '',
      '| Option | Default | Allowed | Meaning |',
      '| --- | --- | --- | --- |',
    );
    const docs = (d.optionDocs ?? {}) as Record<string, string | undefined>;
    for (const [k, v] of opts) {
      const allowed = describeOption(optionSpec(d, k)!);
      out.push(
        `| \`${k}\` | \`${cell(JSON.stringify(v))}\` | ${cell(allowed)} | ${cell(d.optionSchema?.[k]?.description ?? docs[k] ?? '')} |`,
      );
    }
    out.push('');
  }
  out.push('## Remediation', '', d.remediation, '');
  out.push('## References', '', ...d.references.map((r) => `- <${r}>`), '');
  out.push(`\`kube-preflight explain ${d.id}\` prints the same in a terminal.`, '');
  return out.join('\n');
}

/** The index of the pages (Markdown): the checks of each family with severity and rules. */
export function indexPage(checks: RegisteredCheck[]): string {
  const out: string[] = [
    BANNER,
    '',
    '# Checks',
    '',
    `${checks.length} built-in checks in ${FAMILIES.length} families. Each page lists the check's rules and severities, the inputs it reads, its options and the sources of its rules.`,
    '',
  ];
  for (const family of FAMILIES) {
    const of = checks.filter((c) => c.def.family === family);
    if (of.length === 0) continue;
    out.push(`## ${family}`, '', '| Check | Default severity | Rules | Title |', '| --- | --- | --- | --- |');
    for (const { def } of of)
      out.push(`| [${def.id}](${def.id}.md) | ${def.defaultSeverity} | ${Object.keys(def.rules).length} | ${cell(def.title)} |`);
    out.push('');
  }
  return out.join('\n');
}

/**
 * The README with the table of each family's section under "## The checks" (the first table
 * whose header is `| check | reports |`) written from the checks' `summary`, ordered by id;
 * checks with the same summary share a row (`a`, `b`). The prose around the tables is kept.
 * Throws when a family section or its table is missing, or a check has no summary.
 */
export function readmeWithCheckTables(readme: string, checks: RegisteredCheck[]): string {
  const start = readme.indexOf('\n## The checks\n');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error('README.md: no "## The checks" section');
  let section = readme.slice(start, end);
  for (const family of FAMILIES) {
    const of = checks.filter((c) => c.def.family === family).sort((a, b) => a.def.id.localeCompare(b.def.id));
    if (of.length === 0) continue;
    const rows = new Map<string, string[]>();
    for (const { def } of of) {
      if (!def.summary) throw new Error(`${def.id}: no summary for the README's table`);
      rows.set(def.summary, [...(rows.get(def.summary) ?? []), def.id]);
    }
    const table = [
      '| check | reports |',
      '|---|---|',
      ...[...rows].map(([text, ids]) => `| ${ids.map((id) => `\`${id}\``).join(', ')} | ${text} |`),
    ];
    const heading = new RegExp(`\\n### [^\\n]*\\(\`${family}\`\\)\\n`).exec(section);
    if (!heading) throw new Error(`README.md: no section for the family ${family}`);
    const from = section.indexOf('\n| check | reports |\n', heading.index);
    if (from < 0) throw new Error(`README.md: no check table in the section of ${family}`);
    let to = from + 1;
    while (section.startsWith('|', to)) to = section.indexOf('\n', to) + 1;
    section = `${section.slice(0, from + 1)}${table.join('\n')}\n${section.slice(to)}`;
  }
  return readme.slice(0, start) + section + readme.slice(end);
}

/** Every generated page, by file name under `docs/checks/`. */
export async function generateCheckDocs(): Promise<Map<string, string>> {
  const checks = (await loadBuiltinChecks()).sort(
    (a, b) => FAMILIES.indexOf(a.def.family) - FAMILIES.indexOf(b.def.family) || a.def.id.localeCompare(b.def.id),
  );
  const pages = new Map<string, string>([['README.md', indexPage(checks)]]);
  for (const c of checks) pages.set(`${c.def.id}.md`, checkPage(c, readFileSync(sourceFile(c), 'utf8')));
  return pages;
}

/** File names under `dir` that differ from `pages`, are missing, or are no longer generated. */
export function stalePages(pages: Map<string, string>, dir = CHECK_DOCS_DIR): { changed: string[]; removed: string[] } {
  const present = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.md')) : [];
  const changed = [...pages]
    .filter(([name, text]) => !present.includes(name) || readFileSync(join(dir, name), 'utf8') !== text)
    .map(([name]) => name);
  return { changed, removed: present.filter((n) => !pages.has(n)) };
}

/** Writes the changed pages and removes the ones no longer generated. */
export function writeCheckDocs(pages: Map<string, string>, dir = CHECK_DOCS_DIR): { changed: string[]; removed: string[] } {
  const stale = stalePages(pages, dir);
  mkdirSync(dir, { recursive: true });
  for (const name of stale.changed) writeFileSync(join(dir, name), pages.get(name)!);
  for (const name of stale.removed) rmSync(join(dir, name));
  return stale;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const pages = await generateCheckDocs();
  const readmeFile = join(PACKAGE_ROOT, 'README.md');
  const readme = readFileSync(readmeFile, 'utf8');
  const current = readmeWithCheckTables(readme, await loadBuiltinChecks());
  if (current !== readme) {
    process.stdout.write(`README.md: check tables ${values.check ? 'not current' : 'written'}\n`);
    if (values.check) process.exitCode = 1;
    else writeFileSync(readmeFile, current);
  }
  const where = relative(process.cwd(), CHECK_DOCS_DIR) || '.';
  const stale = values.check ? stalePages(pages) : writeCheckDocs(pages);
  for (const n of stale.changed) process.stdout.write(`${where}/${n}: ${values.check ? 'not current' : 'written'}\n`);
  for (const n of stale.removed) process.stdout.write(`${where}/${n}: ${values.check ? 'no longer generated' : 'removed'}\n`);
  if (stale.changed.length + stale.removed.length === 0) process.stdout.write(`${where}: ${pages.size} pages, all current\n`);
  else if (values.check) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();
