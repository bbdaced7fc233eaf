/**
 * The check registry: built-in checks from `checks/<family>/<id>.ts` and third-party checks
 * from `--plugin PATH|PACKAGE` (docs/writing-a-check.md).
 *
 * Every file directly under `checks/<family>/` is a check and must default-export
 * `defineCheck(...)` with an id equal to its file name; support modules (rule tables, data)
 * live in subfolders (`checks/apis/data/…`). scripts/checks-index.js lists those files in
 * src/engine/builtin-checks.generated.ts, with one dynamic `import()` each. A plugin default-exports
 * `{ meta: { name, version }, checks: [...] }`; its check ids become `<name>/<id>`.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FatalError } from '../contract/errors.js';
import { CHECKS_DIR, FROM_SOURCE } from '../paths.js';
import { INPUTS } from '../sources/inputs.js';
import { isCheck, FAMILIES, type CheckDefinition, type Family, type RegisteredCheck } from '../contract/check.js';
import { BUILTIN_CHECKS } from './builtin-checks.generated.js';
import { catalogEntry, type BuiltinCheck } from './catalog.js';
import { validateCheck } from './define-check.js';

export interface PluginModule {
  meta: { name: string; version: string };
  checks: CheckDefinition[];
}

const KNOWN_INPUTS = new Set(INPUTS.keys());

/**
 * Loads built-in checks from the generated index (`BUILTIN_CHECKS`, written by
 * scripts/checks-index.js from the files under `checks/<family>/`): all of them, or with `only`
 * (check ids and family names, as `--checks` takes them) just those, so that a scan imports the
 * modules of the checks it runs and no other. Entries of `only` that name no built-in check are
 * ignored here (`Registry.select` rejects them). Throws `Error` listing every invalid check
 * module: one that does not default-export `defineCheck(...)`, or whose id or family differs from
 * its file name or folder (a packaging bug, caught by the registry tests).
 */
export async function loadBuiltinChecks(
  only?: readonly string[],
  index: readonly BuiltinCheck[] = BUILTIN_CHECKS,
): Promise<RegisteredCheck[]> {
  const ext = FROM_SOURCE ? '.ts' : '.js';
  const wanted = index.filter((b) => !only || only.includes(b.id) || only.includes(b.family));
  const mods = await Promise.all(wanted.map((b) => b.load()));
  const out: RegisteredCheck[] = [];
  const problems: string[] = [];
  for (const [i, b] of wanted.entries()) {
    const file = join(CHECKS_DIR, b.family, `${b.id}${ext}`);
    const def = mods[i]!.default;
    if (!isCheck(def)) {
      problems.push(`${file}: does not default-export defineCheck(...) (support modules belong in a subfolder)`);
      continue;
    }
    const issues = validateCheck(def, KNOWN_INPUTS);
    if (def.id !== b.id) issues.push(`id "${def.id}" differs from the file name`);
    if (def.family !== b.family) issues.push(`family "${def.family}" differs from its folder "${b.family}"`);
    if (issues.length > 0) problems.push(`${file}: ${issues.join('; ')}`);
    else out.push({ def, origin: 'builtin', file });
  }
  if (problems.length > 0) throw new Error(`invalid built-in checks:\n${problems.join('\n')}`);
  return out;
}

/**
 * Loads a plugin from a path or an installed package name. Throws `FatalError` (exit 2)
 * when it cannot be found or imported, or when its export or checks are invalid.
 */
export async function loadPlugin(spec: string, cwd = process.cwd()): Promise<RegisteredCheck[]> {
  let url: string;
  const asPath = resolve(cwd, spec);
  if (spec.startsWith('.') || spec.startsWith('/') || existsSync(asPath)) {
    if (!existsSync(asPath)) throw new FatalError(`plugin ${spec}: no such file or folder`);
    url = pathToFileURL((await stat(asPath)).isDirectory() ? await entryOfFolder(asPath, spec) : asPath).href;
  } else {
    try {
      url = pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(spec)).href;
    } catch {
      throw new FatalError(`plugin ${spec}: package not found from ${cwd} (install it, or give a path)`);
    }
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    throw new FatalError(`plugin ${spec}: cannot import it: ${(e as Error).message.split('\n')[0]}`);
  }
  const p = mod.default as Partial<PluginModule> | undefined;
  const name = p?.meta?.name;
  if (
    !p ||
    typeof name !== 'string' ||
    !/^[a-z0-9][a-z0-9-]*$/.test(name) ||
    typeof p.meta?.version !== 'string' ||
    !Array.isArray(p.checks)
  ) {
    throw new FatalError(`plugin ${spec}: must default-export { meta: { name (kebab-case), version }, checks: [...] }`);
  }
  const out: RegisteredCheck[] = [];
  for (const [i, def] of p.checks.entries()) {
    if (!isCheck(def)) throw new FatalError(`plugin ${name}: checks[${i}] was not made with defineCheck()`);
    const issues = validateCheck(def, KNOWN_INPUTS);
    if (issues.length > 0) throw new FatalError(`plugin ${name}: check "${def.id}": ${issues.join('; ')}`);
    out.push({ def: { ...def, id: `${name}/${def.id}` }, origin: `${name}@${p.meta.version}`, file: spec });
  }
  return out;
}

/** The module a plugin folder points at: package.json `main`, else index.js / index.mjs. */
async function entryOfFolder(dir: string, spec: string): Promise<string> {
  const pkg = join(dir, 'package.json');
  if (existsSync(pkg)) {
    const main = (JSON.parse(await readFile(pkg, 'utf8')) as { main?: string }).main;
    if (main) return join(dir, main);
  }
  for (const name of ['index.js', 'index.mjs']) if (existsSync(join(dir, name))) return join(dir, name);
  throw new FatalError(`plugin ${spec}: folder has no package.json main and no index.js`);
}

/** Orders checks by family (in `FAMILIES` order) then id. */
function byFamilyThenId(a: { family: string; id: string }, b: { family: string; id: string }): number {
  return FAMILIES.indexOf(a.family as Family) - FAMILIES.indexOf(b.family as Family) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * All loaded checks by id, sorted by family (in `FAMILIES` order) then id. Given the index of
 * built-in checks (`builtins`), the registry also knows the built-in checks that were not loaded
 * (`loadBuiltinChecks(only)`): their ids and families are valid in `select`, and their catalog
 * entries count in `catalogVersion`, so a scan of some checks reports the same catalog as a scan
 * of all of them.
 */
export class Registry {
  readonly checks: RegisteredCheck[];
  private readonly builtins: readonly BuiltinCheck[];

  constructor(checks: RegisteredCheck[], builtins: readonly BuiltinCheck[] = []) {
    const seen = new Map<string, RegisteredCheck>();
    for (const c of checks) {
      const prev = seen.get(c.def.id);
      if (prev) throw new FatalError(`check id "${c.def.id}" is defined twice (${prev.origin}, ${c.origin})`);
      seen.set(c.def.id, c);
    }
    this.checks = [...checks].sort((a, b) => byFamilyThenId(a.def, b.def));
    this.builtins = builtins;
  }

  /**
   * A digest (12 hex digits) of the catalog: ids, rules, severities, inputs and option
   * defaults of every check (`catalogEntry`; built-in checks' entries from the index when the
   * registry has it). Two reports with the same catalogVersion judged by the same rules.
   */
  catalogVersion(): string {
    const indexed = new Set(this.builtins.map((b) => b.id));
    const entries = [
      ...this.builtins.map((b) => ({ family: b.family, id: b.id, entry: b.catalog })),
      ...this.checks
        .filter((c) => !(c.origin === 'builtin' && indexed.has(c.def.id)))
        .map(({ def, origin }) => ({ family: def.family, id: def.id, entry: catalogEntry(def, origin) })),
    ].sort(byFamilyThenId);
    return createHash('sha256')
      .update(JSON.stringify(entries.map((e) => e.entry)))
      .digest('hex')
      .slice(0, 12);
  }

  get(id: string): RegisteredCheck | undefined {
    return this.checks.find((c) => c.def.id === id);
  }

  /**
   * Resolves `--checks`/`--skip` lists. Entries are check ids or family names. Throws
   * `FatalError` naming unknown entries.
   */
  select(only: string[] | undefined, skip: string[] | undefined): { selected: RegisteredCheck[]; skipped: RegisteredCheck[] } {
    const expand = (list: string[], flag: string): Set<string> => {
      const ids = new Set<string>();
      const unknown: string[] = [];
      for (const e of list) {
        const byFamily = this.checks.filter((c) => c.def.family === e);
        if (byFamily.length > 0) byFamily.forEach((c) => ids.add(c.def.id));
        else if (this.get(e)) ids.add(e);
        // A built-in check or family that was not loaded: nothing of it can be selected.
        else if (!this.builtins.some((b) => b.id === e || b.family === e)) unknown.push(e);
      }
      if (unknown.length > 0) {
        throw new FatalError(`${flag}: unknown check or family: ${unknown.join(', ')} (see \`kube-preflight checks\`)`);
      }
      return ids;
    };
    const onlyIds = only && only.length > 0 ? expand(only, '--checks') : undefined;
    const skipIds = skip && skip.length > 0 ? expand(skip, '--skip') : new Set<string>();
    const selected: RegisteredCheck[] = [];
    const skipped: RegisteredCheck[] = [];
    for (const c of this.checks) {
      if (onlyIds && !onlyIds.has(c.def.id)) continue;
      (skipIds.has(c.def.id) ? skipped : selected).push(c);
    }
    return { selected, skipped };
  }
}
