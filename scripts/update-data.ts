/**
 * Maintainer script: regenerates the data tables from local copies of their upstream files,
 * offline. Usage (after `npm run build`):
 *
 *   node dist/scripts/update-data.js --eol eol.yaml --schedule schedule.yaml \
 *     --guide deprecation-guide.md --as-of 2026-12-04 [--write]
 *
 * - eol.yaml, schedule.yaml: kubernetes/website `data/releases/`. Each minor's end of life is
 *   eol.yaml's first (final) entry for it, else schedule.yaml's `endOfLifeDate`; its release day
 *   is schedule.yaml's `releaseDate` (minors that left schedule.yaml keep the table's day).
 *   A minor in schedule.yaml and not in the table is added, with kubeadm images unknown (null).
 * - deprecation-guide.md: kubernetes/website `content/en/docs/reference/using-api/
 *   deprecation-guide.md`. Each "The **group/version** API version of Kind … served in vX.Y"
 *   paragraph sets `removedIn`, `replacementApi` and `replacementAvailableIn` of the rows the
 *   guide sources; a pair the table lacks is reported, not guessed into a row.
 *
 * Prints the tables that differ and the problems; `--write` writes them over the built-in
 * files. The next release's planned day (`nextRelease`) is edited by hand from kubernetes/
 * sig-release `releases/release-1.x/README.md`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  BUILTIN_DEPRECATIONS_PATH,
  BUILTIN_RELEASES_PATH,
  builtinDeprecationTable,
  builtinReleaseTable,
  deprecationTableSchema,
  releaseTableSchema,
  type DeprecationTable,
  type ReleaseTable,
} from '../src/k8s/tables.js';

const minorNum = (m: string): number => Number(m.split('.')[1]);

/** The release table with the dates of eol.yaml and schedule.yaml (texts of the files). */
export function updateReleases(base: ReleaseTable, eolYaml: string, scheduleYaml: string, asOf: string): ReleaseTable {
  const eol = (parseYaml(eolYaml) as { branches?: Array<{ release: string | number; endOfLifeDate: string }> }).branches ?? [];
  const schedules =
    (parseYaml(scheduleYaml) as { schedules?: Array<{ release: string | number; releaseDate?: string; endOfLifeDate?: string }> })
      .schedules ?? [];
  const rows = new Map(base.releases.map((r) => [r.minor, { ...r }]));
  for (const s of schedules) {
    const minor = String(s.release);
    const row = rows.get(minor) ?? { minor, released: s.releaseDate ?? '', endOfLife: s.endOfLifeDate ?? '', kubeadm: null };
    if (s.releaseDate) row.released = s.releaseDate;
    if (s.endOfLifeDate) row.endOfLife = s.endOfLifeDate;
    rows.set(minor, row);
  }
  const seen = new Set<string>();
  for (const b of eol) {
    const minor = String(b.release);
    const row = rows.get(minor);
    if (!row || seen.has(minor)) continue; // the first entry of a minor is its final end of life
    seen.add(minor);
    row.endOfLife = b.endOfLifeDate;
  }
  const releases = [...rows.values()].sort((a, b) => minorNum(a.minor) - minorNum(b.minor));
  return releaseTableSchema.parse({ ...base, asOf, releases });
}

/** One removal the guide states: `apiVersion` `kind` stops being served in `removedIn`. */
export interface GuideRemoval {
  apiVersion: string;
  kind: string;
  removedIn: string;
  replacementApi: string;
  replacementAvailableIn: string | null;
}

/** The removals of the guide's "Removed APIs by release" paragraphs. */
export function parseGuide(markdown: string): GuideRemoval[] {
  const out: GuideRemoval[] = [];
  for (const section of markdown.split(/\n#### /).slice(1)) {
    const head =
      /^(.*?)\*\*(\S+)\*\*(.*?) API versions? (?:of ([^.]*?) (?:will no longer be served in|(?:is|are) no longer served as of)|will no longer be served in) v(1\.\d+)/m.exec(
        section,
      );
    if (!head) continue;
    const versions = [...`**${head[2]}**${head[3]}`.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]!);
    const kindsText = head[4] ?? /^(\w+) in the/.exec(head[1] ?? '')?.[1] ?? '';
    const kinds = kindsText
      .split(/,\s*(?:and\s+)?|\s+and\s+/)
      .map((k) => k.trim())
      .filter(Boolean);
    const removedIn = head[5]!;
    const to = /use the \*\*(\S+)\*\* API version(?:, available since v(1\.\d+))?/.exec(section);
    if (!to) continue;
    for (const apiVersion of versions) {
      for (const kind of kinds) {
        const perKind = new RegExp(`${kind} is available in \\*\\*${to[1]!.replace(/[./]/g, '\\$&')}\\*\\* (?:since )?v(1\\.\\d+)`).exec(
          section,
        );
        out.push({ apiVersion, kind, removedIn, replacementApi: to[1]!, replacementAvailableIn: perKind?.[1] ?? to[2] ?? null });
      }
    }
  }
  return out;
}

/** The deprecation table with the guide's facts on its `migration-guide` rows; pairs it lacks are problems. */
export function updateDeprecations(
  base: DeprecationTable,
  guideMarkdown: string,
  asOf: string,
): { table: DeprecationTable; problems: string[] } {
  const apis = base.apis.map((r) => ({ ...r }));
  const problems: string[] = [];
  for (const g of parseGuide(guideMarkdown)) {
    const row = apis.find((r) => r.apiVersion === g.apiVersion && r.kind === g.kind);
    if (!row) {
      problems.push(`the guide removes ${g.apiVersion} ${g.kind} in ${g.removedIn}; the table has no row for it`);
      continue;
    }
    if (row.source !== 'migration-guide') continue;
    row.removedIn = g.removedIn;
    row.replacementApi = g.replacementApi;
    if (g.replacementAvailableIn) row.replacementAvailableIn = g.replacementAvailableIn;
  }
  return { table: deprecationTableSchema.parse({ ...base, asOf, apis }), problems };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      eol: { type: 'string' },
      schedule: { type: 'string' },
      guide: { type: 'string' },
      'as-of': { type: 'string' },
      write: { type: 'boolean', default: false },
    },
  });
  const asOf = values['as-of'];
  if (!values.eol || !values.schedule || !values.guide || !asOf) {
    process.stderr.write(
      'usage: update-data --eol eol.yaml --schedule schedule.yaml --guide deprecation-guide.md --as-of YYYY-MM-DD [--write]\n',
    );
    process.exitCode = 2;
    return;
  }
  const releases = updateReleases(builtinReleaseTable(), readFileSync(values.eol, 'utf8'), readFileSync(values.schedule, 'utf8'), asOf);
  const { table, problems } = updateDeprecations(builtinDeprecationTable(), readFileSync(values.guide, 'utf8'), asOf);
  for (const p of problems) process.stderr.write(`problem: ${p}\n`);
  for (const [path, t] of [
    [BUILTIN_RELEASES_PATH, releases],
    [BUILTIN_DEPRECATIONS_PATH, table],
  ] as const) {
    const text = `${JSON.stringify(t, null, 2)}\n`;
    const same = readFileSync(path, 'utf8') === text;
    process.stdout.write(`${path}: ${same ? 'unchanged' : values.write ? 'written' : 'differs (use --write)'}\n`);
    if (!same && values.write) writeFileSync(path, text);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main();
