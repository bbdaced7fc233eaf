/**
 * Containers of control-plane pods: reading their command-line flags.
 */
import type { ContainerInfo } from '../contract/values/core.js';

/** Value of a `--flag=value` (or `--flag value`) in a container's command and args. */
export function flagValue(c: ContainerInfo, flag: string): string | undefined {
  const all = [...c.command, ...c.args];
  for (let i = 0; i < all.length; i++) {
    const a = all[i]!;
    if (a.startsWith(`--${flag}=`)) return a.slice(flag.length + 3);
    if (a === `--${flag}` && i + 1 < all.length && !all[i + 1]!.startsWith('--')) return all[i + 1];
  }
  return undefined;
}
