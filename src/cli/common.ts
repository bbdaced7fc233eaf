/**
 * Helpers shared by the commands.
 */
import { BUILTIN_CHECKS } from '../engine/builtin-checks.generated.js';
import { loadBuiltinChecks, loadPlugin, Registry } from '../engine/registry.js';

/**
 * The built-in checks plus the given plugins. With `only` (`--checks` ids and families), just
 * the built-in checks it names are imported; the registry still knows the others (selection,
 * catalog version). Throws `FatalError` for a bad plugin.
 */
export async function loadRegistry(plugins: string[] = [], only?: string[]): Promise<Registry> {
  const checks = await loadBuiltinChecks(only?.length ? only : undefined);
  for (const p of plugins) checks.push(...(await loadPlugin(p)));
  return new Registry(checks, BUILTIN_CHECKS);
}
