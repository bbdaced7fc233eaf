/**
 * `report.json` in chunks: the same bytes as `JSON.stringify(report, null, 2)` and a line
 * break, for every shape JSON.stringify treats specially, and in several chunks for a large report.
 */
import { describe, expect, it } from 'vitest';
import { syntheticReport } from '../../bench/synthetic-report.js';
import type { Report } from '../../src/contract/report.js';
import { jsonChunks, renderJson } from '../../src/render/json.js';
import { sampleReport } from './sample.js';

const stringify = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

describe('jsonChunks', () => {
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
    const chunks = [...jsonChunks(big)];
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(stringify(big));
  });
});
