/**
 * The release table and the deprecated-API table as versioned data files, their schemas, and
 * their loading: the built-in copies (`checks/versions/data/releases.json`,
 * `checks/apis/data/deprecated-apis.json`) and newer ones a user supplies with `--data DIR`
 * (`DIR/releases.json` and/or `DIR/deprecated-apis.json`).
 *
 * Each table carries `asOf` (the day its facts were last checked against its sources) and the
 * URLs of those sources. A file that does not match its schema is an error naming the file and
 * the path of the first problem (`releases.json: .releases[3].endOfLife: expected a date …`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError } from '../contract/errors.js';
import { PACKAGE_ROOT } from '../paths.js';
import { jsonErrorMessage } from './parse-errors.js';
import { describeIssue, z } from './typed.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date such as 2026-12-04' });
const minor = z.string().regex(/^1\.\d+$/, { error: 'expected a Kubernetes minor such as 1.31' });
const url = z.string().regex(/^https:\/\//, { error: 'expected an https:// URL' });

/** `releases.json`: one row per minor, oldest first, no gaps. */
export const releaseTableSchema = z
  .object({
    /** Day the rows were last checked against the sources (ISO date). */
    asOf: isoDate,
    sources: z.array(url).min(1),
    /** The minor expected after the newest row, and its planned release day. */
    nextRelease: z.object({ minor, expected: isoDate, source: url }),
    releases: z
      .array(
        z.object({
          minor,
          /** Day x.y.0 was released (ISO date). */
          released: isoDate,
          /** End of patch support (ISO date). */
          endOfLife: isoDate,
          /** Image tags `kubeadm config images list` gives for x.y.0; null when not known. */
          kubeadm: z.object({ etcd: z.string().min(1), coredns: z.string().min(1), pause: z.string().min(1) }).nullable(),
        }),
      )
      .min(1),
  })
  .superRefine((t, ctx) => {
    t.releases.forEach((r, i) => {
      if (r.released >= r.endOfLife)
        ctx.addIssue({
          code: 'custom',
          path: ['releases', i, 'endOfLife'],
          message: `end of life ${r.endOfLife} is not after the release day ${r.released}`,
        });
      const prev = t.releases[i - 1];
      if (prev && minorNumber(r.minor) !== minorNumber(prev.minor) + 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['releases', i, 'minor'],
          message: `${r.minor} does not follow ${prev.minor} (rows are consecutive minors, oldest first)`,
        });
      }
    });
    const last = t.releases[t.releases.length - 1]!;
    if (minorNumber(t.nextRelease.minor) !== minorNumber(last.minor) + 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['nextRelease', 'minor'],
        message: `${t.nextRelease.minor} is not the minor after the newest row ${last.minor}`,
      });
    }
  });

export type ReleaseTable = z.infer<typeof releaseTableSchema>;

/** `deprecated-apis.json`: rows keyed by apiVersion and kind, each naming its sources. */
export const deprecationTableSchema = z
  .object({
    asOf: isoDate,
    /** Newest minor whose removals the rows were checked for; targets past it are not judged. */
    coversThrough: minor,
    sources: z.record(z.string(), z.object({ title: z.string().min(1), url })),
    apis: z.array(
      z.object({
        apiVersion: z.string().min(1),
        kind: z.string().min(1),
        resource: z.string().min(1),
        namespaced: z.boolean(),
        deprecatedIn: minor,
        removedIn: minor.nullable(),
        replacementApi: z.string().min(1).nullable(),
        replacementKind: z.string().min(1).optional(),
        replacementAvailableIn: minor.nullable(),
        source: z.string().min(1),
        deprecatedInSource: z.string().min(1),
        note: z.string().min(1).optional(),
      }),
    ),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.apis.forEach((r, i) => {
      for (const key of ['source', 'deprecatedInSource'] as const) {
        if (!(r[key] in t.sources))
          ctx.addIssue({ code: 'custom', path: ['apis', i, key], message: `"${r[key]}" is not a key of .sources` });
      }
      if (r.removedIn !== null && minorNumber(r.deprecatedIn) > minorNumber(r.removedIn)) {
        ctx.addIssue({
          code: 'custom',
          path: ['apis', i, 'removedIn'],
          message: `removed in ${r.removedIn}, before its deprecation in ${r.deprecatedIn}`,
        });
      }
      const id = `${r.apiVersion} ${r.kind}`;
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['apis', i, 'kind'], message: `${id} is listed twice` });
      seen.add(id);
    });
  });

export type DeprecationTable = z.infer<typeof deprecationTableSchema>;

export const RELEASES_FILE = 'releases.json';
export const DEPRECATIONS_FILE = 'deprecated-apis.json';

/** Built-in table files (the same path from the sources and from `dist/`). */
export const BUILTIN_RELEASES_PATH = join(PACKAGE_ROOT, 'checks', 'versions', 'data', RELEASES_FILE);
export const BUILTIN_DEPRECATIONS_PATH = join(PACKAGE_ROOT, 'checks', 'apis', 'data', DEPRECATIONS_FILE);

function minorNumber(m: string): number {
  return Number(m.split('.')[1]);
}

/**
 * Parses and validates one table file's text. Throws `FatalError` (one line: the file, the
 * JSON path of the first problem, what was expected) for text that is not JSON or does not
 * match the schema.
 */
export function parseTable<S extends z.ZodType>(schema: S, file: string, text: string): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new FatalError(jsonErrorMessage(file, text, e));
  }
  const r = schema.safeParse(value);
  if (!r.success) throw new FatalError(`${file}: ${describeIssue(r.error.issues[0]!, value)}`);
  return r.data;
}

function readTable<S extends z.ZodType>(schema: S, file: string): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FatalError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseTable(schema, file, text);
}

/** The built-in release table. Throws `FatalError` when the shipped file is missing or invalid. */
export function builtinReleaseTable(): ReleaseTable {
  return readTable(releaseTableSchema, BUILTIN_RELEASES_PATH);
}

/** The built-in deprecated-API table. Throws `FatalError` when the shipped file is missing or invalid. */
export function builtinDeprecationTable(): DeprecationTable {
  return readTable(deprecationTableSchema, BUILTIN_DEPRECATIONS_PATH);
}

/**
 * The tables of a `--data DIR`: `releases.json` and/or `deprecated-apis.json` (a missing one
 * keeps the built-in table). Throws `FatalError` when DIR holds neither, or a file is invalid.
 */
export function loadDataDir(dir: string): { releases?: ReleaseTable; deprecations?: DeprecationTable } {
  const rel = join(dir, RELEASES_FILE);
  const dep = join(dir, DEPRECATIONS_FILE);
  const out: { releases?: ReleaseTable; deprecations?: DeprecationTable } = {};
  if (existsSync(rel)) out.releases = readTable(releaseTableSchema, rel);
  if (existsSync(dep)) out.deprecations = readTable(deprecationTableSchema, dep);
  if (!out.releases && !out.deprecations) throw new FatalError(`--data ${dir}: holds neither ${RELEASES_FILE} nor ${DEPRECATIONS_FILE}`);
  return out;
}
