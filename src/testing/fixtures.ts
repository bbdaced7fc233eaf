/**
 * The shared fixture tester (docs/writing-a-check.md, "Testing a check"), exported for plugins too.
 *
 * A check's cases live in `fixtures/checks/<id>/<status>-<case>/`: each folder is a small
 * dump (resources/, pki/, etcd/, … as in any dump) plus `expected.json`:
 *
 * ```jsonc
 * {
 *   "scan": { "now": "2026-11-23T07:00:00Z", "targetVersion": "1.31", "options": { "warnDays": 45 } },
 *   "findings": [ { "rule": "expired", "severity": "critical",
 *                   "resource": { "file": "pki/apiserver.crt" },
 *                   "evidence": { "daysLeft": -3 } } ],        // evidence: optional, matched as a subset
 *   "unknowns": [ { "resource": { … } } ],                      // optional: exact set of unknown subjects
 *   "reason": "input nodes is missing",                           // optional: substring of the check's reason
 *   "figures": [ { "shape": "cards", "key": "etcd-members", … } ], // optional: the exact figures
 *   "missing": ["nodes"]                                          // optional: resource inputs left unread
 * }
 * ```
 *
 * A case holds only the inputs it needs: a resource input the check declares (required or
 * optional) for which the case has no file — no object of its resources, no record in
 * `metadata.json` — is read as an empty list (status `ok`, as an `items: []` file would be),
 * unless `missing` names its key; then it stays `missing`, as in a dump without it. File inputs
 * (`version.json`, `pki/`…) and inputs the check does not declare are never filled.
 *
 * The case passes when the check's status equals the folder's prefix (`pass`, `fail`,
 * `error`, `incomplete`, `not-applicable`), `evaluated ≥ 1` on pass and fail, the findings
 * equal the expected ones (rule, resource, severity) and the report validates against the schema.
 * Without `scan.now`, the clock is the dump's `collectedAt`, else 2026-01-01T00:00:00Z.
 * `scan.sourceType: "live"` scans the folder as if read from a live cluster (`ctx.source.type`),
 * for a check that judges something only on a live scan (the scanning user's own kubectl).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { EMPTY_CONFIG, type Config } from '../engine/config.js';
import { Registry } from '../engine/registry.js';
import { scan } from '../report/scan.js';
import { CHECK_STATUSES, type CheckDefinition, type CheckStatus, type Options, type RegisteredCheck } from '../contract/check.js';
import { resourceIdentity } from '../k8s/fingerprint.js';
import type { Figure } from '../contract/figures.js';
import type { CheckResult, Finding, Report } from '../contract/report.js';
import { reportSchemaErrors } from '../report/schema.js';
import { DumpSource, type DumpMetadata } from '../sources/dump.js';
import { resourceName, type InputDef } from '../sources/input-def.js';
import type { ScanOptions } from '../sources/scan-options.js';
import type { Progress, Source } from '../sources/source.js';

export interface FixtureCase {
  /** Folder name, e.g. `fail-expired-rsa`. */
  name: string;
  dir: string;
  expectedStatus: CheckStatus;
}

export interface ExpectedFinding {
  rule: string;
  severity: string;
  resource: Record<string, string>;
  evidence?: Record<string, unknown>;
}

export interface Expected {
  scan?: { now?: string; targetVersion?: string; options?: Options; sourceType?: 'live' };
  findings: ExpectedFinding[];
  unknowns?: Array<{ resource: Record<string, string> }>;
  reason?: string;
  /** The exact figures the check gives (`CheckResult.figures`; `[]`: none). */
  figures?: Figure[];
  /** Keys of resource inputs the check declares that the case leaves unread (not filled with an empty list). */
  missing?: string[];
}

export interface FixtureOutcome {
  ok: boolean;
  problems: string[];
  result?: CheckResult;
  findings: Finding[];
  report?: Report;
}

const STATUS_PREFIXES = [...CHECK_STATUSES].sort((a, b) => b.length - a.length);

/** The cases in a check's fixture folder, sorted by name. Throws for a folder without a status prefix. */
export function listFixtureCases(checkFixturesDir: string): FixtureCase[] {
  if (!existsSync(checkFixturesDir)) return [];
  return readdirSync(checkFixturesDir)
    .filter((n) => statSync(join(checkFixturesDir, n)).isDirectory())
    .sort()
    .map((name) => {
      const status = STATUS_PREFIXES.find((s) => name === s || name.startsWith(`${s}-`));
      if (!status || status === 'skipped')
        throw new Error(
          `${join(checkFixturesDir, name)}: folder name must start with pass-, fail-, error-, incomplete- or not-applicable-`,
        );
      return { name, dir: join(checkFixturesDir, name), expectedStatus: status };
    });
}

/** Runs one case through the engine and compares the outcome with `expected.json`. */
export async function runFixtureCase(check: RegisteredCheck | CheckDefinition, c: FixtureCase): Promise<FixtureOutcome> {
  const reg: RegisteredCheck = 'def' in check ? check : { def: check, origin: 'fixture' };
  const problems: string[] = [];
  const expectedPath = join(c.dir, 'expected.json');
  if (!existsSync(expectedPath)) return { ok: false, problems: [`${expectedPath} is missing`], findings: [] };
  const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as Expected;
  const declared = new Set<string>([...reg.def.requires, ...(reg.def.optional ?? [])]);
  const missing = new Set(expected.missing ?? []);
  for (const k of missing) if (!declared.has(k)) problems.push(`expected.json: missing lists "${k}", which the check does not declare`);
  const recorded = recordedResources(c.dir);
  const dump = await DumpSource.open(c.dir);
  const source: Source = Object.assign(Object.create(dump) as Source, {
    info: expected.scan?.sourceType === 'live' ? { ...dump.info, type: 'live' as const } : dump.info,
    load: async (defs: InputDef[], options: ScanOptions, progress?: Progress) => {
      const loaded = await dump.load(defs, options, progress);
      for (const def of defs) {
        if (def.type !== 'resources' || !declared.has(def.key)) continue;
        if (missing.has(def.key)) {
          if (loaded.get(def.key)?.status !== 'missing')
            problems.push(
              `expected.json: missing lists "${def.key}", but the case holds it (${loaded.get(def.key)?.status ?? 'not loaded'})`,
            );
          continue;
        }
        if (loaded.get(def.key)?.status === 'missing' && !def.resources.some((r) => recorded.has(resourceName(r)))) {
          loaded.set(def.key, { key: def.key, status: 'ok', value: [], count: 0, sources: [] });
        }
      }
      return loaded;
    },
  });
  const config: Config = expected.scan?.options
    ? { file: expectedPath, checks: { [reg.def.id]: { options: expected.scan.options } } }
    : EMPTY_CONFIG;
  const now = new Date(expected.scan?.now ?? source.info.collectedAt ?? '2026-01-01T00:00:00Z');
  let report: Report;
  try {
    ({ report } = await scan({
      source,
      registry: new Registry([reg]),
      config,
      only: [reg.def.id],
      now,
      targetVersion: expected.scan?.targetVersion,
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
    }));
  } finally {
    await dump.close();
  }
  for (const p of reportSchemaErrors(report)) problems.push(`report schema: ${p}`);
  const result = report.checks.find((r) => r.id === reg.def.id);
  if (!result) return { ok: false, problems: ['the check did not run'], findings: [], report };
  if (result.status !== c.expectedStatus)
    problems.push(`status is ${result.status} (${result.reason ?? 'no reason'}), expected ${c.expectedStatus}`);
  if ((result.status === 'pass' || result.status === 'fail') && result.evaluated < 1)
    problems.push(`evaluated is ${result.evaluated} on ${result.status}`);
  if (expected.reason !== undefined && !(result.reason ?? '').includes(expected.reason)) {
    problems.push(`reason "${result.reason ?? ''}" does not contain "${expected.reason}"`);
  }

  const key = (f: { rule: string; severity: string; resource: Record<string, string> }): string =>
    `${f.severity} ${f.rule} ${resourceIdentity(f.resource as never)}`;
  const actual = report.findings.map((f) => ({ f, k: key(f as never) }));
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- expected.json is hand-written and read as is
  const wanted = (expected.findings ?? []).map((f) => ({ f, k: key(f) }));
  const unmatched = [...actual];
  for (const w of wanted) {
    const i = unmatched.findIndex((a) => a.k === w.k && sameResource(a.f.resource, w.f.resource));
    if (i < 0) {
      problems.push(`expected finding not reported: ${w.k}`);
      continue;
    }
    const [a] = unmatched.splice(i, 1);
    if (w.f.evidence) {
      for (const [ek, ev] of Object.entries(w.f.evidence)) {
        if (JSON.stringify(a!.f.evidence[ek]) !== JSON.stringify(ev)) {
          problems.push(`finding ${w.k}: evidence.${ek} is ${JSON.stringify(a!.f.evidence[ek])}, expected ${JSON.stringify(ev)}`);
        }
      }
    }
  }
  for (const a of unmatched) problems.push(`unexpected finding: ${a.k} — ${a.f.message}`);
  if (expected.unknowns) {
    const got = result.unknowns.map((u) => resourceIdentity(u.resource)).sort();
    const want = expected.unknowns.map((u) => resourceIdentity(u.resource as never)).sort();
    if (JSON.stringify(got) !== JSON.stringify(want))
      problems.push(`unknowns are ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
  if (expected.figures !== undefined && !isDeepStrictEqual(result.figures ?? [], expected.figures)) {
    problems.push(`figures are ${JSON.stringify(result.figures ?? [])}, expected ${JSON.stringify(expected.figures)}`);
  }
  return { ok: problems.length === 0, problems, result, findings: report.findings, report };
}

/** Resources whose status the case's `metadata.json` records (as `collect` writes it), by `plural[.group]`. */
function recordedResources(dir: string): Set<string> {
  const path = join(dir, 'metadata.json');
  if (!existsSync(path)) return new Set();
  try {
    const meta = JSON.parse(readFileSync(path, 'utf8')) as DumpMetadata;
    return new Set(Object.keys(meta.resources ?? {}));
  } catch {
    return new Set(); // the dump source ignores an unreadable metadata.json too (with a warning)
  }
}

/** Exact resource equality (all given keys, including apiVersion and field). */
function sameResource(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
