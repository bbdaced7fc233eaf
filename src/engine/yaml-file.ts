/**
 * Reading and parsing the YAML files a user hands the scan (`--config`, `--waivers`), with the
 * limits that keep a hostile file from exhausting memory: at most `YAML_FILE_MAX_BYTES`, and at
 * most `MAX_ALIAS_COUNT` alias expansions (a "billion laughs" document is refused, not expanded).
 * Every problem is a `ConfigError` of one line naming the file (and the line, when known).
 */
import { type Document, LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../contract/errors.js';
import { FileTooLargeError, readTextCapped } from '../files.js';
import { MiB } from '../limits.js';
import { formatParseError, yamlConversionError, yamlParseError } from '../k8s/parse-errors.js';

/** Largest `--config` or `--waivers` file read (they are a few KiB). */
export const YAML_FILE_MAX_BYTES = MiB;

/** Most alias expansions allowed while turning the document into data. */
export const MAX_ALIAS_COUNT = 100;

/** A parsed file: the document (for lines of nodes), its line counter, and its data. */
export interface YamlFile {
  doc: Document.Parsed;
  lc: LineCounter;
  value: unknown;
}

/** The text of the file; `label` (`config`, `waivers`) starts every message. */
export async function readYamlText(file: string, label: string): Promise<string> {
  try {
    return await readTextCapped(file, YAML_FILE_MAX_BYTES);
  } catch (e) {
    if (e instanceof FileTooLargeError) throw new ConfigError(`${label} ${file}: ${e.message}, too large for a ${label} file`);
    throw new ConfigError(`${label} ${file}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Parses the text (duplicate keys are errors) and converts it to data within the alias limit. */
export function parseYamlFile(text: string, file: string, label: string): YamlFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(`${label} ${formatParseError(file, yamlParseError(doc.errors[0]!))}`);
  }
  try {
    return { doc, lc, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown };
  } catch (e) {
    // The yaml library's guard against alias bombs ("Excessive alias count …").
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      throw new ConfigError(`${label} ${file}: invalid YAML: its aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT})`);
    }
    // Anything else the conversion refuses (an alias to no anchor): reworded, no input quoted.
    throw new ConfigError(`${label} ${formatParseError(file, yamlConversionError(e))}`);
  }
}
