/** The small Prometheus text-format reader (src/k8s/prometheus.ts). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PrometheusTextError, readSamples } from '../../src/k8s/prometheus.js';

const WANT = new Set(['apiserver_requested_deprecated_apis', 'process_start_time_seconds']);

describe('readSamples', () => {
  it('reads the wanted families of a real kube-apiserver 1.26 /metrics', () => {
    const text = readFileSync('fixtures/dumps/lab-1.26/metrics/apiserver.txt', 'utf8');
    const s = readSamples(text, WANT);
    expect(s.map((x) => [x.name, x.labels.resource ?? null, x.labels.removed_release ?? null, x.value])).toEqual([
      ['apiserver_requested_deprecated_apis', 'componentstatuses', '', 1],
      ['apiserver_requested_deprecated_apis', 'flowschemas', '1.29', 1],
      ['apiserver_requested_deprecated_apis', 'csistoragecapacities', '1.27', 1],
      ['process_start_time_seconds', null, null, 1.79541705526e9],
    ]);
    expect(s[0]!.line).toBe(10541);
  });

  it('handles escapes, spacing, timestamps and special values', () => {
    const s = readSamples('# TYPE x gauge\nx{a="q\\"z\\\\n",b="l1\\nl2" , } +Inf 1700000000000\nx NaN\nx{} -1.5e-3\n', new Set(['x']));
    expect(s[0]).toEqual({ name: 'x', labels: { a: 'q"z\\n', b: 'l1\nl2' }, value: Infinity, line: 2 });
    expect(Number.isNaN(s[1]!.value)).toBe(true);
    expect(s[2]!.value).toBe(-0.0015);
  });

  it('skips other families without parsing them, and names without a separator', () => {
    expect(readSamples('# HELP y h\ny{broken 1\nx_total 3\nx 2\n', new Set(['x']))).toEqual([{ name: 'x', labels: {}, value: 2, line: 4 }]);
  });

  it('reports malformed wanted lines with their number', () => {
    expect(() => readSamples('# TYPE x gauge\nx{a="b} 1\n', new Set(['x']))).toThrow(
      new PrometheusTextError(2, 'x: the value of label 1 is not closed by a double quote'),
    );
    expect(() => readSamples('# TYPE x gauge\nx{a="b"} one\n', new Set(['x']))).toThrow(/^line 2: x: bad sample: expected a number/);
    expect(() => readSamples('# TYPE x gauge\nx{a="b" c="d"} 1\n', new Set(['x']))).toThrow(/expected , or \}/);
    expect(() => readSamples('# TYPE x gauge\nx{1a="b"} 1\n', new Set(['x']))).toThrow(/bad name of label 1/);
  });

  it('refuses text that is not the format at all', () => {
    expect(() => readSamples('<html>Forbidden</html>\n', WANT)).toThrow(new PrometheusTextError(1, 'not the Prometheus text format'));
    expect(() => readSamples('\n# just a comment\n', WANT)).toThrow(/no metric line/);
    expect(() => readSamples('{"kind":"Status"}', WANT)).toThrow(/not the Prometheus text format/);
  });
});
