/**
 * Parse errors of user files re-worded from their position: `file:line:col: reason`, where
 * the reason says what was wrong or expected and never quotes the input. The libraries'
 * own messages are not used as they are: V8's JSON errors quote the text around the error
 * (`Unexpected token 'x', "…" is not valid JSON`), the `yaml` library appends a code frame
 * and some of its messages name the offending text (an escape, an alias, a tag), and a file
 * next to the error may be a Secret. Every parser of user data reports through this module.
 */
import type { YAMLError } from 'yaml';

/** Where a parse failed and why, without any input text. `line` and `column` are 1-based. */
export interface ParseErrorAt {
  line?: number;
  column?: number;
  reason: string;
}

/** 1-based line and column (in UTF-16 code units) of character offset `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: end - start + 1 };
}

/** `file:line:col: reason` (the line and column where known). */
export function formatParseError(file: string, at: ParseErrorAt): string {
  return `${file}${positionSuffix(at)}: ${at.reason}`;
}

/** `:line:col`, `:line` or nothing, for a message that adds its own file name. */
export function positionSuffix(at: { line?: number; column?: number }): string {
  if (at.line === undefined) return '';
  return at.column === undefined ? `:${at.line}` : `:${at.line}:${at.column}`;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * The first JSON syntax error of `text` (RFC 8259) as an offset and a reason, or undefined
 * when the text is valid JSON. Iterative: any nesting depth is scanned without recursion.
 */
export function findJsonSyntaxError(text: string): { offset: number; reason: string } | undefined {
  let i = 0;
  const n = text.length;
  const stack: Array<'{' | '['> = [];
  let state: 'value' | 'key' | 'after' = 'value';
  const ws = (): void => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const fail = (reason: string): { offset: number; reason: string } => ({
    offset: i,
    reason: i >= n ? `unexpected end of input (truncated file?): ${reason}` : reason,
  });
  const string = (): string | undefined => {
    i++;
    for (;;) {
      if (i >= n) return 'the string is not closed by a double quote';
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return 'control character (such as a line break or tab) in a string: it must be escaped';
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return 'bad \\u escape in a string: expected 4 hexadecimal digits';
          i += 6;
        } else if (e !== undefined && ESCAPES.has(e)) i += 2;
        else return 'bad escape in a string: expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX';
        continue;
      }
      i++;
    }
  };
  const digits = (): boolean => {
    const s = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i > s;
  };
  const number = (): string | undefined => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!digits()) return 'bad number: expected a digit';
    if (text[i] === '.') {
      i++;
      if (!digits()) return 'bad number: expected a digit after the decimal point';
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) return 'bad number: expected a digit in the exponent';
    }
    return undefined;
  };
  for (;;) {
    ws();
    if (state === 'value') {
      if (i >= n) return fail('expected a value');
      const c = text[i]!;
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          state = 'after';
        } else state = c === '{' ? 'key' : 'value';
        continue;
      }
      let bad: string | undefined;
      if (c === '"') bad = string();
      else if (c === '-' || (c >= '0' && c <= '9')) bad = number();
      else {
        const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
        if (!word) return fail('expected a value (object, array, string, number, true, false or null)');
        i += word.length;
      }
      if (bad) return fail(bad);
      state = 'after';
    } else if (state === 'key') {
      if (text[i] !== '"') return fail('expected a double-quoted property name');
      const bad = string();
      if (bad) return fail(bad);
      ws();
      if (text[i] !== ':') return fail("expected ':' after a property name");
      i++;
      state = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? fail('unexpected text after the JSON value') : undefined;
      const close = top === '{' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        state = top === '{' ? 'key' : 'value';
      } else if (text[i] === close) {
        stack.pop();
        i++;
      } else return fail(top === '{' ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element");
    }
  }
}

/**
 * A JSON parse error of `text` from its position. `libraryError`: what `JSON.parse` or
 * another JSON library threw, used only when `text` is valid JSON to the strict scanner
 * (a library rule beyond the syntax, such as lossless-json's duplicate keys): then its
 * `at position N`, if any, gives the position, and the reason is generic.
 */
export function jsonParseError(text: string, libraryError?: unknown): ParseErrorAt {
  const found = findJsonSyntaxError(text);
  if (found) return { ...lineColumn(text, found.offset), reason: `invalid JSON: ${found.reason}` };
  const msg = libraryError instanceof Error ? libraryError.message : '';
  const pos = /at position (\d+)/.exec(msg);
  const reason = /duplicate key/i.test(msg) ? 'invalid JSON: duplicate property name in an object' : 'invalid JSON';
  return pos ? { ...lineColumn(text, Number(pos[1])), reason } : { reason };
}

/**
 * `where:line:column: invalid JSON: <what was expected>` for text `JSON.parse` refused, quoting
 * nothing of the text (Node's own message quotes some of it, which may be a secret).
 */
export function jsonErrorMessage(where: string, text: string, libraryError: unknown): string {
  return formatParseError(where, jsonParseError(text, libraryError));
}

/** Reasons for the `yaml` library's error codes, in place of its messages (which may quote the input). */
const YAML_REASONS: Partial<Record<YAMLError['code'], string>> = {
  ALIAS_PROPS: 'an alias cannot have an anchor or a tag',
  BAD_ALIAS: 'an alias names no anchor defined before it',
  BAD_DIRECTIVE: 'bad % directive',
  BAD_DQ_ESCAPE: 'bad escape in a double-quoted string',
  BAD_INDENT: 'bad indentation, or a flow collection ([…] or {…}) not closed',
  BAD_PROP_ORDER: 'anchor or tag in the wrong place',
  BAD_SCALAR_START: 'a plain value cannot start with this character: quote it',
  BLOCK_AS_IMPLICIT_KEY: 'nested mapping where a value was expected (a missing line break or quotes?)',
  BLOCK_IN_FLOW: 'block value inside a flow collection ([…] or {…})',
  DUPLICATE_KEY: 'duplicate key in a mapping',
  IMPOSSIBLE: 'the YAML parser failed',
  KEY_OVER_1024_CHARS: 'implicit key longer than 1024 characters',
  MISSING_CHAR: 'a closing quote, bracket or brace is missing',
  MULTILINE_IMPLICIT_KEY: 'implicit key spread over several lines (a missing colon?)',
  MULTIPLE_ANCHORS: 'several anchors on one value',
  MULTIPLE_DOCS: 'several documents where one is expected',
  MULTIPLE_TAGS: 'several tags on one value',
  NON_STRING_KEY: 'a key that is not a string',
  RESOURCE_EXHAUSTION: 'too many aliases (resource exhaustion)',
  TAB_AS_INDENT: 'Tabs are not allowed as indentation',
  TAG_RESOLVE_FAILED: 'a value does not match its tag',
  UNEXPECTED_TOKEN: 'unexpected character or token',
  BAD_COLLECTION_TYPE: 'a collection of the wrong type for its tag',
};

/** True when `reason` is one this module gives for a YAML error (so it holds no input text). */
export function isParseReason(reason: string): boolean {
  return reason === 'invalid YAML' || Object.values(YAML_REASONS).some((r) => reason === `invalid YAML: ${r}`);
}

/** An error of the `yaml` library (from `doc.errors`) as a position and a reason without input text. */
export function yamlParseError(err: YAMLError): ParseErrorAt {
  const pos = err.linePos?.[0];
  const reason = `invalid YAML: ${YAML_REASONS[err.code] ?? 'not valid YAML'}`;
  return pos ? { line: pos.line, column: pos.col, reason } : { reason };
}

/**
 * What `Document.toJS()` threw (an alias to no anchor, too many aliases) as a reason without
 * input text (the library's message names the alias).
 */
export function yamlConversionError(e: unknown): ParseErrorAt {
  const msg = e instanceof Error ? e.message : '';
  if (msg.startsWith('Unresolved alias')) return { reason: `invalid YAML: ${YAML_REASONS.BAD_ALIAS}` };
  if (/alias count/i.test(msg)) return { reason: `invalid YAML: ${YAML_REASONS.RESOURCE_EXHAUSTION}` };
  return { reason: 'invalid YAML' };
}
