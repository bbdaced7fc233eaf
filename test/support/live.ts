/**
 * Helpers for live-source tests: a kubeconfig for the test API server in a temporary folder,
 * and small input definitions that keep object identities.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiResource } from '../../src/contract/inputs.js';
import type { ResourceInputDef, Selection } from '../../src/sources/input-def.js';
import type { ScanOptions } from '../../src/sources/scan-options.js';
import { LiveSource, type LiveTuning } from '../../src/sources/live.js';
import type { TestApiServer } from './apiserver.js';

export interface TempDir {
  path: string;
  remove(): void;
}

export function tempDir(prefix = 'kube-preflight-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Options of a live scan through the test server's kubeconfig (context `test` unless given). */
export function liveOptions(kubeconfig: string, context?: string): ScanOptions {
  return { kubeconfig, ...(context ? { context } : {}), requestTimeoutMs: 10_000 };
}

/** Opens the live source with no real waiting between retries; `waits` records the waits asked for. */
export async function openTestLive(
  server: TestApiServer,
  kubeconfig: string,
  tuning: LiveTuning = {},
): Promise<{ source: LiveSource; waits: number[] }> {
  const waits: number[] = [];
  const source = await LiveSource.open(liveOptions(kubeconfig), {
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...tuning,
  });
  return { source, waits };
}

/** An input keeping `namespace/name` of each object of `resource`. */
export function namesInput(key: string, resource: ApiResource, select?: Selection): ResourceInputDef<string> {
  return {
    type: 'resources',
    key,
    description: `test: names of ${resource.resource}`,
    resources: [resource],
    ...(select ? { select } : {}),
    normalize: (o) => `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`,
  };
}
