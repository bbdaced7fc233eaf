/**
 * The check registry: built-in checks from `checks/<family>/<id>.ts` and third-party checks
 * from `--plugin PATH|PACKAGE` (docs/writing-a-check.md).
 *
 * Every file directly under `checks/<family>/` is a check and must default-export
 * `defineCheck(...)` with an id equal to its file name; support modules (rule tables, data)
 * live in subfolders (`checks/apis/data/…`). A plugin default-exports
 * `{ meta: { name, version }, checks: [...] }`; its check ids become `<name>/<id>`.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FatalError } from '../contract/errors.js';
import { CHECKS_DIR, FROM_SOURCE } from '../paths.js';
import { INPUTS } from '../sources/inputs.js';
import { isCheck, FAMILIES, type CheckDefinition, type RegisteredCheck } from '../contract/check.js';
import { validateCheck } from './define-check.js';

export interface PluginModule {
  meta: { name: string; version: string };
  checks: CheckDefinition[];
}

const KNOWN_INPUTS = new Set(INPUTS.keys());

/**
 * Loads the built-in checks. Throws `Error` listing every invalid check file (a packaging
 * bug, caught by the registry test).
 */
export async function loadBuiltinChecks(dir = CHECKS_DIR): Promise<RegisteredCheck[]> {
  const ext = FROM_SOURCE ? '.ts' : '.js';
  const out: RegisteredCheck[] = [];
  const problems: string[] = [];
  for (const family of FAMILIES) {
    const famDir = join(dir, family);
    if (!existsSync(famDir)) continue;
    const names = (await readdir(famDir)).filter((n) => n.endsWith(ext) && !n.endsWith('.d.ts')).sort();
    for (const name of names) {
      const file = join(famDir, name);
      if (!(await stat(file)).isFile()) continue;
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      const def = mod.default;
      if (!isCheck(def)) {
        problems.push(`${file}: does not default-export defineCheck(...) (support modules belong in a subfolder)`);
        continue;
      }
      const issues = validateCheck(def, KNOWN_INPUTS);
      if (def.id !== basename(name, ext)) issues.push(`id "${def.id}" differs from the file name`);
      if (def.family !== family) issues.push(`family "${def.family}" differs from its folder "${family}"`);
      if (issues.length > 0) problems.push(`${file}: ${issues.join('; ')}`);
      else out.push({ def, origin: 'builtin', file });
    }
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

/** All checks by id, sorted by family (in `FAMILIES` order) then id. */
export class Registry {
  readonly checks: RegisteredCheck[];

  constructor(checks: RegisteredCheck[]) {
    const seen = new Map<string, RegisteredCheck>();
    for (const c of checks) {
      const prev = seen.get(c.def.id);
      if (prev) throw new FatalError(`check id "${c.def.id}" is defined twice (${prev.origin}, ${c.origin})`);
      seen.set(c.def.id, c);
    }
    this.checks = [...checks].sort(
      (a, b) => FAMILIES.indexOf(a.def.family) - FAMILIES.indexOf(b.def.family) || (a.def.id < b.def.id ? -1 : a.def.id > b.def.id ? 1 : 0),
    );
  }

  /**
   * A digest (12 hex digits) of the catalog: ids, rules, severities, inputs and option
   * defaults of every check. Two reports with the same catalogVersion judged by the same rules.
   */
  catalogVersion(): string {
    const catalog = this.checks.map(({ def, origin }) => ({
      id: def.id,
      origin,
      defaultSeverity: def.defaultSeverity,
      rules: Object.entries(def.rules).map(([k, r]) => [k, r.severity ?? def.defaultSeverity]),
      requires: def.requires,
      optional: def.optional ?? [],
      defaultOptions: def.defaultOptions,
    }));
    return createHash('sha256').update(JSON.stringify(catalog)).digest('hex').slice(0, 12);
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
        else unknown.push(e);
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
