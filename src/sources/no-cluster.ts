/**
 * `scan --no-cluster`: no cluster at all, only what the command line points at
 * (`--manifests`, `--pki-dir`, `--etcd-snapshot-dir`). Every cluster input is `missing` with
 * that reason, so the checks that need one report `error`; select the checks that read local
 * files (e.g. `--checks apis-removed,apis-deprecated --manifests k8s/ --target-version 1.31`).
 */
import type { Collected } from '../contract/inputs.js';
import { loadFileInput } from './file-inputs.js';
import type { InputDef } from './input-def.js';
import type { ScanOptions } from './scan-options.js';
import type { Progress, Source, SourceInfo } from './source.js';

const REASON = 'no cluster data (--no-cluster)';

export class NoClusterSource implements Source {
  readonly info: SourceInfo = { type: 'none', location: '(no cluster)', warnings: [] };

  async load(defs: InputDef[], options: ScanOptions, progress?: Progress): Promise<Map<string, Collected<unknown>>> {
    const out = new Map<string, Collected<unknown>>();
    for (const def of defs) {
      progress?.start(def.key);
      const c: Collected<unknown> =
        def.type === 'files'
          ? await loadFileInput(def, options, async () => ({ status: 'missing', reason: REASON }))
          : { key: def.key, status: 'missing', reason: REASON };
      out.set(def.key, c);
      progress?.done(def.key, c.status);
    }
    return out;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
