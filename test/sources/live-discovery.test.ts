/**
 * Discovery documents that are not JSON (a proxy's page, a truncated body): the discovery
 * fails naming the path and where the JSON breaks, never quoting the body.
 */
import { describe, expect, it } from 'vitest';
import { Discovery } from '../../src/sources/live/discovery.js';
import type { ApiHttp, HttpResponse } from '../../src/sources/live/http.js';

function answering(body: string): ApiHttp {
  const res: HttpResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  return { server: 'https://127.0.0.1:6443', get: () => Promise.resolve(res) } as unknown as ApiHttp;
}

describe('Discovery', () => {
  it('a document that is not JSON fails the discovery, naming where, never quoting it', async () => {
    const groups = await new Discovery(answering('hunter2 is not a discovery document')).groups();
    expect(groups).toEqual({
      ok: false,
      status: 'failed',
      reason: 'GET /api:1:1: invalid JSON: expected a value (object, array, string, number, true, false or null)',
    });
  });

  it('a document cut short names the line and column where it ends', async () => {
    const groups = await new Discovery(answering('{"kind": "APIVersions",\n "versions": ["v1", "hunter2')).groups();
    expect(groups).toEqual({
      ok: false,
      status: 'failed',
      reason: 'GET /api:2:29: invalid JSON: unexpected end of input (truncated file?): the string is not closed by a double quote',
    });
  });
});
