/**
 * Starts the loopback S3-compatible server of test/fleet/s3-server.mjs in its own Node process
 * (see there why) on 127.0.0.1, over a fresh temporary folder, with the given buckets.
 * Its only account is S3RVER / S3RVER (`S3_CREDENTIALS`): it checks SigV4 signatures. Its
 * dependencies' deprecation warnings (Koa on Node 20) are silenced; its errors reach stderr.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { PACKAGE_ROOT } from '../../src/paths.js';

export const S3_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export interface TestS3Server {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  stop(): Promise<void>;
}

export async function startS3Server(buckets: string[]): Promise<TestS3Server> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-s3-'));
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--no-deprecation', join(PACKAGE_ROOT, 'test', 'fleet', 's3-server.mjs'), dir, ...buckets],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const [line] = (await Promise.race([
    once(child.stdout, 'data'),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`the S3 server exited (${String(code)}) before listening`))),
  ])) as [Buffer];
  const { port } = JSON.parse(line.toString('utf8')) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
