/**
 * The escapers for untrusted text: `terminalSafe` (terminal, report.txt, stderr) and
 * `markdownText` / `markdownCode` (report.md, diff markdown). No markdown parser is installed,
 * so the markdown is checked as exact strings, and table rows are split the way GFM splits
 * them (`gfmCells`).
 */
import { describe, expect, it } from 'vitest';
import { markdownCode, markdownText, terminalSafe, terminalSafeDeep } from '../../src/render/escape.js';
import { gfmCells } from './validators.js';

describe('terminalSafe', () => {
  it('shows ESC, OSC, CR, BS, NUL, tab, newline, DEL and C1 escaped', () => {
    expect(terminalSafe('a\u001b[2Jb')).toBe('a\\x1b[2Jb');
    expect(terminalSafe('\u001b]0;pwned\u0007')).toBe('\\x1b]0;pwned\\x07');
    expect(terminalSafe('\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\')).toBe('\\x1b]8;;http://evil\\x1b\\link\\x1b]8;;\\x1b\\');
    expect(terminalSafe('ok\rFAKE\bX\u0000')).toBe('ok\\rFAKE\\bX\\x00');
    expect(terminalSafe('a\tb\nc')).toBe('a\\tb\\nc');
    expect(terminalSafe('\u007f\u0085\u009b31m')).toBe('\\x7f\\x85\\x9b31m');
  });

  it('shows the bidi embeddings, overrides and isolates escaped', () => {
    expect(terminalSafe('admin\u202egnp.exe')).toBe('admin\\u202egnp.exe');
    expect(terminalSafe('\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069')).toBe(
      '\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069',
    );
  });

  it('leaves printable text alone, Unicode and backslashes included', () => {
    const s = 'prod/web-tls · CN=wéb.example.com → 日本 C:\\pki\\ca.crt 🙂';
    expect(terminalSafe(s)).toBe(s);
  });

  it('terminalSafeDeep escapes every string, keys included, and keeps other values', () => {
    const v = { 'k\u001b': ['a\rb', 1, null, true, { n: 'x\u202e' }] };
    expect(terminalSafeDeep(v)).toEqual({ 'k\\x1b': ['a\\rb', 1, null, true, { n: 'x\\u202e' }] });
  });

  it('terminalSafeDeep copies only what holds something to escape, and changes nothing in place', () => {
    const clean = { a: ['x', 1, { b: 'y' }], c: { d: 'z' } };
    const mixed = { clean: clean.c, list: [clean.a, 'bell\u0007'] };
    expect(terminalSafeDeep(clean)).toBe(clean);
    const safe = terminalSafeDeep(mixed);
    expect(safe).toEqual({ clean: { d: 'z' }, list: [['x', 1, { b: 'y' }], 'bell\\x07'] });
    expect(safe).not.toBe(mixed);
    expect(safe.clean).toBe(clean.c);
    expect(safe.list[0]).toBe(clean.a);
    expect(mixed.list[1]).toBe('bell\u0007');
  });

  it('terminalSafeDeep keeps member order and a __proto__ key as a key, and is linear in nesting depth', () => {
    const hostile = JSON.parse('{"a":"1","__proto__":{"x":"\\u001b"},"z":"\\u0007"}') as Record<string, unknown>;
    const safe = terminalSafeDeep(hostile);
    expect(Object.keys(safe)).toEqual(['a', '__proto__', 'z']);
    expect(Object.getPrototypeOf(safe)).toBe(Object.prototype);
    expect(JSON.stringify(safe)).toBe('{"a":"1","__proto__":{"x":"\\\\x1b"},"z":"\\\\x07"}');
    // 2,000 levels, the escape at the bottom: copying each level once (not twice per level) finishes at once.
    let deep: unknown = 'bell\u0007';
    for (let i = 0; i < 2000; i++) deep = { a: 'x', v: deep };
    let out = terminalSafeDeep(deep) as { v: unknown };
    for (let i = 0; i < 2000; i++) out = out.v as { v: unknown };
    expect(out).toBe('bell\\x07');
  });
});

describe('markdownText', () => {
  it('renders links and images as literal text', () => {
    expect(markdownText('[x](http://evil)')).toBe('\\[x\\]\\(http\\://evil\\)');
    expect(markdownText('![](http://evil/i.png)')).toBe('\\!\\[\\]\\(http\\://evil/i.png\\)');
    expect(markdownText('see www.evil.com')).toBe('see www\\.evil.com');
  });

  it('makes HTML inert', () => {
    expect(markdownText('<img src=x onerror=alert(1)>')).toBe('\\<img src=x onerror=alert\\(1\\)\\>');
    expect(markdownText('&lt;b&gt;')).toBe('\\&lt;b\\&gt;');
  });

  it('escapes emphasis, code, headings, strikethrough and mentions', () => {
    expect(markdownText('# *a* _b_ `c` ~~d~~ @team')).toBe('\\# \\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~ &#64;team');
  });

  it('a pipe, escaped or not, never ends a table cell', () => {
    expect(markdownText('a|b')).toBe('a\\|b');
    expect(markdownText('a\\|b')).toBe('a\\\\\\|b');
    for (const data of ['a|b', 'a\\|b', 'a\\\\|b', '\\', '|\\|', 'x\\']) {
      expect(gfmCells(`| ${markdownText(data)} | second |`)).toHaveLength(2);
    }
  });

  it('folds line breaks to spaces and escapes other control characters', () => {
    expect(markdownText('a\r\nb\nc\rd\u2028e')).toBe('a b c d e');
    expect(markdownText('x\u001b]0;t\u0007\u202e')).toBe('x\\\\x1b\\]0;t\\\\x07\\\\u202e');
  });
});

describe('markdownCode', () => {
  it('keeps plain identifiers in a code span', () => {
    expect(markdownCode('certs-cluster-expiry')).toBe('`certs-cluster-expiry`');
    expect(markdownCode('out/old.json')).toBe('`out/old.json`');
  });

  it('falls back to escaped text for anything else', () => {
    expect(markdownCode('a`b|c')).toBe('a\\`b\\|c');
    expect(markdownCode('list secrets (all namespaces)')).toBe('list secrets \\(all namespaces\\)');
  });
});
