/**
 * A report file that is not JSON (src/report/baseline.ts `loadReport`, used by render, diff,
 * trend and --baseline; src/fleet/store.ts for `fleet DIR`): the error names the file, line and
 * column, and never quotes the file, whose bad bytes may be a secret. Node's own SyntaxError
 * quotes about ten characters around the error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FatalError } from '../../src/contract/errors.js';
import { readStoredReports } from '../../src/fleet/store.js';
import { loadReport } from '../../src/report/baseline.js';
import { tempDir, type TempDir } from '../support/live.js';

/** A fake API token standing where a value belongs: the bytes JSON.parse trips over. */
const SECRET = 'sk-live-7f3a9c2e41b0d5';
const HOSTILE = `{"apiVersion": "kube-preflight/v1",\n  "kind": ${SECRET}}\n`;
const REASON = 'invalid JSON: expected a value (object, array, string, number, true, false or null)';

let tmp: TempDir;
let file: string;
beforeAll(() => {
  tmp = tempDir('kp-load-report-');
  mkdirSync(join(tmp.path, 'prod'));
  file = join(tmp.path, 'prod', 'report.json');
  writeFileSync(file, HOSTILE);
});
afterAll(() => tmp.remove());

describe('a report file that is not JSON', () => {
  it("is a text Node's own message would quote the secret of", () => {
    expect(() => JSON.parse(HOSTILE)).toThrow('sk-live-7f');
  });

  it('loadReport names the flag, file, line and column, and nothing of the file', async () => {
    const error = await loadReport(file, '--baseline').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FatalError);
    expect((error as FatalError).message).toBe(`--baseline ${file}:2:11: ${REASON}`);
    expect((error as FatalError).message).not.toMatch(/sk-|live|7f3a/);
  });

  it('the fleet reader says the same of it, as a cluster not readable', async () => {
    const [entry] = await readStoredReports(tmp.path);
    expect(entry).toEqual({ cluster: 'prod', file, source: file, error: `not readable: ${file}:2:11: ${REASON}` });
    expect(JSON.stringify(entry)).not.toMatch(/sk-|live|7f3a/);
  });
});
