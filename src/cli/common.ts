/**
 * Helpers shared by the commands.
 */
import { loadBuiltinChecks, loadPlugin, Registry } from '../engine/registry.js';

/** The built-in checks plus the given plugins. Throws `FatalError` for a bad plugin. */
export async function loadRegistry(plugins: string[] = []): Promise<Registry> {
  const checks = await loadBuiltinChecks();
  for (const p of plugins) checks.push(...(await loadPlugin(p)));
  return new Registry(checks);
}
