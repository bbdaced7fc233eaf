/**
 * A package loaded on its first use, synchronously (for code that runs while objects are read
 * and cannot await), so a scan that never uses it does not load it. The package is resolved
 * from this project's dependencies.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function returning package `id` (`require(id)`, to be typed by the caller), loaded on its first call. */
export function lazyRequire(id: string): () => unknown {
  let loaded: unknown;
  return () => (loaded ??= require(id) as unknown);
}
