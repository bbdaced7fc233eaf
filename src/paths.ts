/**
 * Locations inside the installed package, valid both from the TypeScript sources (tests)
 * and from the compiled `dist/` tree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kube-preflight') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`kube-preflight package root not found above ${start}`);
    dir = up;
  }
}

const here = fileURLToPath(import.meta.url);

/** The package root (where package.json, templates/ and schema/ are). */
export const PACKAGE_ROOT = findRoot(dirname(here));

/** True when running from the TypeScript sources (vitest), false from `dist/`. */
export const FROM_SOURCE = here.endsWith('.ts');

/** Folder of the built-in checks: `checks/` (sources) or `dist/checks/` (compiled). */
export const CHECKS_DIR = FROM_SOURCE ? join(PACKAGE_ROOT, 'checks') : join(PACKAGE_ROOT, 'dist', 'checks');

export const SCHEMA_DIR = join(PACKAGE_ROOT, 'schema');
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

/** The package version from package.json. */
export const TOOL_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
