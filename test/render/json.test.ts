/**
 * `report.json` in chunks: the same bytes as `JSON.stringify(report, null, 2)` and a line
 * break, for every shape JSON.stringify treats specially, at every depth a value is split at,
 * and in several chunks for a large report.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticReport } from '../../bench/synthetic-report.js';
import type { Report } from '../../src/contract/report.js';
import { jsonByteChunks, jsonSha256, renderJson } from '../../src/render/json.js';
import { sampleReport } from './sample.js';

const stringify = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

describe('jsonByteChunks', () => {
  it('writes the sample report byte for byte as JSON.stringify does', async () => {
    const report = await sampleReport();
    expect(renderJson(report)).toBe(stringify(report));
  });

  it('follows JSON.stringify on omitted members, empty containers, toJSON, deep nesting and non-ASCII text', () => {
    const odd = {
      apiVersion: 'kube-preflight/v1',
      skipped: undefined,
      fn: () => 1,
      empty: { list: [], map: {}, onlyUndefined: { a: undefined } },
      list: [1, undefined, () => 2, null, 'x', { deep: { deeper: { deepest: { bottom: [1, { k: 'v' }], e: [] } } } }],
      when: new Date(Date.UTC(2026, 10, 23, 7, 0, 18)),
      custom: { toJSON: (key: string) => ({ key }) },
      text: 'line\nbreak "quoted" \u2014 \u2026 \ud83d\ude80 \u0007',
      numbers: [0, -0, 1.5e300, Number.NaN, Number.POSITIVE_INFINITY],
      nested: [[[[[['six levels']]]]]],
    } as unknown as Report;
    expect(renderJson(odd)).toBe(stringify(odd));
  });

  it('hands a large report out in several chunks that join to the whole', () => {
    const big = syntheticReport(5000);
    const chunks = [...jsonByteChunks(big)];
    expect(chunks.length).toBeGreaterThan(1);
    const expected = Buffer.from(stringify(big), 'utf8');
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    expect(jsonSha256(big)).toBe(createHash('sha256').update(expected).digest('hex'));
  });

  it('splits large values at any depth, around small members, toJSON members and omitted ones', () => {
    // 20,000 members each: more than one JSON.stringify writes whole, so split at each level.
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ i, name: `row-${i}`, tags: i % 7 === 0 ? [] : ['a', { b: i }] }));
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i % 3 === 0 ? undefined : { v: i }]));
    const odd = {
      apiVersion: 'kube-preflight/v1',
      small: { a: 1 },
      deep: { level1: { level2: [{ rows }, 'after', { wide }] } },
      // Members with a toJSON get their own key (an array element its index), among batched ones.
      dates: [...rows.slice(0, 5_000), { toJSON: (key: string) => ({ key }) }, new Date(Date.UTC(2026, 0, 2)), ...rows.slice(0, 5_000)],
      keyed: { first: 1, custom: { toJSON: (key: string) => `key ${key}` }, gone: { toJSON: () => undefined }, rows },
      // Integer-like keys come first, as JSON.stringify lists them; `__proto__` is a plain member here.
      order: JSON.parse('{"b": 1, "2": 2, "__proto__": {"x": 1}, "1": 1}') as unknown,
      emptyAtDepth: { a: { b: { c: { list: [], map: {}, onlyUndefined: { u: undefined } } } } },
      text: '\u00e9t\u00e9 \u2014 \ud83d\ude80 '.repeat(300_000),
      after: [undefined, () => 1, null],
    } as unknown as Report;
    const expected = stringify(odd);
    expect(renderJson(odd)).toBe(expected);
    expect(Buffer.concat([...jsonByteChunks(odd)]).equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });

  it('writes a report that is not split at all (a value with few members) as JSON.stringify does', () => {
    const tiny = { apiVersion: 'kube-preflight/v1', list: [] } as unknown as Report;
    expect(renderJson(tiny)).toBe(stringify(tiny));
    expect(renderJson({} as unknown as Report)).toBe('{}\n');
  });
});
