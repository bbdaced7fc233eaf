/**
 * Reading a few metric families out of the Prometheus text exposition format (version 0.0.4,
 * what kube-apiserver serves on `/metrics`;
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format).
 *
 * Deliberately small: it reads only the sample lines of the families asked for (a
 * kube-apiserver exposes ~15,000 lines; the callers need a handful), and checks those lines
 * strictly, so a malformed line of a wanted family is reported with its line number instead
 * of being read as a wrong value. The npm package `parse-prometheus-text-format` was tried
 * and rejected: it accepts any text (HTML error pages, unterminated quotes) without an error,
 * and reports no line numbers.
 */
import { ToolError, type ErrorCode } from '../contract/errors.js';

export interface Sample {
  /** Metric name (`apiserver_requested_deprecated_apis`). */
  name: string;
  labels: Record<string, string>;
  /** The sample value; `NaN`, `Infinity` and `-Infinity` as in the format. */
  value: number;
  /** 1-based line of the sample. */
  line: number;
}

/** A malformed line, or text that is not the Prometheus format at all; `reason` quotes no input text. */
export class PrometheusTextError extends ToolError {
  override name = 'PrometheusTextError';
  readonly errorCode: ErrorCode = 'KP_PROMETHEUS_TEXT';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const VALUE = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|[+-]?Inf|NaN)$/;

/**
 * The samples of the named families, in file order. Lines of other families are skipped
 * without parsing. Throws `PrometheusTextError` when a wanted sample line is malformed, or
 * when no line of the text looks like the format (an HTML page, JSON, an empty file).
 */
export function readSamples(text: string, names: ReadonlySet<string>): Sample[] {
  const out: Sample[] = [];
  let recognised = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const line = raw.trimStart();
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (/^#\s+(HELP|TYPE)\s+[a-zA-Z_:]/.test(line)) recognised = true;
      continue;
    }
    const m = NAME.exec(line);
    const next = m ? line.charAt(m[0].length) : '';
    if (!m || (next !== '{' && next !== ' ' && next !== '\t')) {
      if (!recognised) throw new PrometheusTextError(i + 1, 'not the Prometheus text format');
      continue;
    }
    recognised = true;
    if (!names.has(m[0])) continue;
    out.push(parseSample(m[0], line.slice(m[0].length), i + 1));
  }
  if (!recognised) throw new PrometheusTextError(1, 'not the Prometheus text format (no metric line)');
  return out;
}

function parseSample(name: string, rest: string, line: number): Sample {
  const labels: Record<string, string> = {};
  let s = rest;
  let n = 0;
  if (s.startsWith('{')) {
    s = s.slice(1);
    for (;;) {
      s = s.trimStart();
      if (s.startsWith('}')) {
        s = s.slice(1);
        break;
      }
      const ln = LABEL_NAME.exec(s);
      n++;
      if (!ln) throw new PrometheusTextError(line, `${name}: bad name of label ${n}`);
      s = s.slice(ln[0].length).trimStart();
      if (!s.startsWith('="')) throw new PrometheusTextError(line, `${name}: label ${n} has no quoted value`);
      s = s.slice(2);
      let value = '';
      let closed = false;
      while (s.length > 0) {
        const c = s.charAt(0);
        if (c === '\\') {
          const e = s.charAt(1);
          value += e === 'n' ? '\n' : e;
          s = s.slice(2);
        } else if (c === '"') {
          s = s.slice(1);
          closed = true;
          break;
        } else {
          value += c;
          s = s.slice(1);
        }
      }
      if (!closed) throw new PrometheusTextError(line, `${name}: the value of label ${n} is not closed by a double quote`);
      labels[ln[0]] = value;
      s = s.trimStart();
      if (s.startsWith(',')) s = s.slice(1);
      else if (!s.startsWith('}')) throw new PrometheusTextError(line, `${name}: expected , or } after label ${n}`);
    }
  }
  const fields = s.trim().split(/\s+/);
  const v = fields[0] ?? '';
  if (fields.length > 2 || !VALUE.test(v) || (fields[1] !== undefined && !/^-?\d+$/.test(fields[1]))) {
    throw new PrometheusTextError(line, `${name}: bad sample: expected a number, then an optional integer timestamp`);
  }
  const value = v === 'NaN' ? NaN : v.endsWith('Inf') ? (v.startsWith('-') ? -Infinity : Infinity) : Number(v);
  return { name, labels, value, line };
}
