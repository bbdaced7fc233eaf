/**
 * The `kubectl-version` input runs the real kubectl found on the PATH: here a fake `kubectl`
 * script that records its arguments and environment, to show the child can reach no cluster —
 * KUBECONFIG is the null device (never the user's kubeconfig, no `--kubeconfig`), and the
 * in-cluster variables KUBERNETES_SERVICE_HOST/PORT are gone.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { devNull } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchKubectlVersion } from '../../src/sources/inputs/versions.js';
import { tempDir, type TempDir } from '../support/live.js';

const SAVED = ['PATH', 'KUBECONFIG', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT'] as const;
let dir: TempDir;
let saved: Record<string, string | undefined>;

beforeEach(() => {
  dir = tempDir();
  saved = Object.fromEntries(SAVED.map((k) => [k, process.env[k]]));
  const script = join(dir.path, 'kubectl');
  writeFileSync(
    script,
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(dir.path, 'args')}"\nenv > "${join(dir.path, 'env')}"\necho '{"clientVersion":{"gitVersion":"v1.31.2","platform":"linux/amd64"}}'\n`,
  );
  chmodSync(script, 0o755);
  process.env.PATH = `${dir.path}${delimiter}${process.env.PATH ?? ''}`;
  process.env.KUBECONFIG = join(dir.path, 'users-kubeconfig');
  process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
  process.env.KUBERNETES_SERVICE_PORT = '443';
});
afterEach(() => {
  for (const k of SAVED) {
    if (saved[k] === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = saved[k];
  }
  dir.remove();
});

describe.skipIf(process.platform === 'win32')('kubectl version --client', () => {
  it('runs with an empty kubeconfig and no in-cluster configuration, never the user’s kubeconfig', async () => {
    const got = await fetchKubectlVersion({ options: { requestTimeoutMs: 5000 } });
    expect(got).toEqual({
      status: 'ok',
      files: [
        { path: 'kubectl-version.json', content: Buffer.from('{"clientVersion":{"gitVersion":"v1.31.2","platform":"linux/amd64"}}\n') },
      ],
      sources: ['kubectl version --client -o json'],
    });
    expect(readFileSync(join(dir.path, 'args'), 'utf8')).toBe('version\n--client\n-o\njson\n');
    const env = readFileSync(join(dir.path, 'env'), 'utf8').split('\n');
    expect(env.filter((l) => /^(KUBECONFIG|KUBERNETES_SERVICE_HOST|KUBERNETES_SERVICE_PORT)=/.test(l))).toEqual([`KUBECONFIG=${devNull}`]);
    expect(process.env.KUBECONFIG).toBe(join(dir.path, 'users-kubeconfig'));
  });
});
