/**
 * Ablation of the bundled sample (README, "Statuses, unknowns and the verdict"): every resources
 * file and every file input is taken away in turn — left out of the dump, and (for what a live
 * cluster serves) answered with 403 by the test API server — and the scan must stay honest:
 *
 * - the findings of the ablated scan are a subset of the full scan's (nothing made up from
 *   missing data);
 * - the verdict is never GO;
 * - every selected check that declared an input reading the ablated part names it: `error`
 *   with the input in its reason, or an unknown of that input.
 *
 * What each ablation loses is written to `ablation.golden.md` (refresh with
 * `UPDATE_GOLDEN=1 npx vitest run test/e2e/ablation.test.ts`), for a reviewer to check that
 * every lost finding truly depends on the part taken away.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { resourceLabel } from '../../src/k8s/fingerprint.js';
import type { Report } from '../../src/contract/report.js';
import { DumpSource } from '../../src/sources/dump.js';
import { resourceName, type InputDef } from '../../src/sources/input-def.js';
import { INPUTS } from '../../src/sources/inputs.js';
import { everythingReads } from '../../src/sources/everything.js';
import type { Source } from '../../src/sources/source.js';
import { TestApiServer } from '../support/apiserver.js';
import { openTestLive, tempDir, type TempDir } from '../support/live.js';

const SAMPLE = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
const GOLDEN = join(PACKAGE_ROOT, 'test', 'e2e', 'ablation.golden.md');
const NOW = new Date('2026-11-23T07:00:18Z');
const TARGET = '1.27';

interface Part {
  /** Dump path taken away (`resources/statefulsets.apps.json`, `version.json`, `pki/`). */
  path: string;
  /** `plural[.group]` for a resources file. */
  resource?: { group: string; plural: string };
  /** Non-resource URL that serves it on a live cluster. */
  livePath?: string;
}

const FILE_PARTS: Part[] = [
  { path: 'version.json', livePath: '/version' },
  { path: 'metrics/apiserver.txt', livePath: '/metrics' },
  { path: 'pki/' },
  { path: 'etcd/member-list.json' },
  { path: 'etcd/endpoint-status.json' },
  { path: 'etcd/endpoint-health.json' },
  { path: 'backups/etcd-snapshots.json' },
];

function parts(): Part[] {
  const resources = readdirSync(join(SAMPLE, 'resources'))
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => {
      const name = n.slice(0, -'.json'.length);
      const dot = name.indexOf('.');
      return {
        path: `resources/${n}`,
        resource: dot < 0 ? { group: '', plural: name } : { group: name.slice(dot + 1), plural: name.slice(0, dot) },
      };
    });
  return [...resources, ...FILE_PARTS];
}

/**
 * Inputs that read the part: resource inputs listing it, `everything` inputs (live only: a
 * dump cannot know which files it lacks), file inputs of that dump path (live: of that URL).
 */
function readersOf(part: Part, mode: 'dump' | 'live'): InputDef[] {
  return [...INPUTS.values()].filter((d) => {
    if (d.type === 'files') {
      if (part.resource) return false;
      return mode === 'live'
        ? part.livePath !== undefined && (d.apiPaths ?? []).includes(part.livePath)
        : d.files.some((f) => (f.endsWith('/') ? part.path.startsWith(f) : f === part.path));
    }
    if (!part.resource) return false;
    const name = part.resource.group ? `${part.resource.plural}.${part.resource.group}` : part.resource.plural;
    if (d.everything) return mode === 'live' && everythingReads(d, name);
    return d.resources.some((r) => resourceName(r) === name);
  });
}

const findingKey = (f: Report['findings'][number]): string => `${f.checkId} ${f.rule} ${resourceLabel(f.resource)}`;

/** Problems with an ablated report, against the full scan of the same mode. */
function problems(part: Part, mode: 'dump' | 'live', full: Report, ablated: Report): string[] {
  const out: string[] = [];
  const before = new Set(full.findings.map((f) => f.fingerprint));
  for (const f of ablated.findings) if (!before.has(f.fingerprint)) out.push(`new finding without ${part.path}: ${findingKey(f)}`);
  if (ablated.summary.verdict === 'GO') out.push('verdict GO');
  const inputs = new Map(ablated.inputs.map((i) => [i.key, i]));
  const readers = readersOf(part, mode);
  for (const def of readers) {
    const input = inputs.get(def.key);
    if (!input) continue; // not declared by any selected check
    const unread = (input.status !== 'ok' && input.status !== 'absent') || (input.partial ?? []).length > 0;
    if (!unread) {
      // A CRD-backed resource whose CRD is not installed is rightly absent.
      if (input.status === 'absent') continue;
      out.push(`input ${def.key} reads ${part.path} but shows nothing unread (${input.status})`);
      continue;
    }
    for (const id of [...input.usedBy.required, ...input.usedBy.optional]) {
      const c = ablated.checks.find((x) => x.id === id)!;
      // A check in error assessed nothing; its reason names the reader it could not do without.
      const named =
        (c.status === 'error' &&
          readers.some((r) => (c.reason ?? '').includes(`input ${r.key} `) || (c.reason ?? '').includes(` ${r.key} is `))) ||
        c.unknowns.some((u) => u.input === def.key);
      const alternative = c.status !== 'error' && !named && alternativeRead(id, def.key, inputs);
      if (!named && !alternative) out.push(`${id} declares ${def.key} but does not name it (status ${c.status})`);
    }
  }
  return out;
}

/** True when the check reads `key` as one of a `requiresAnyOf` group of which another input was read. */
function alternativeRead(checkId: string, key: string, inputs: Map<string, Report['inputs'][number]>): boolean {
  const def = registry.get(checkId)?.def;
  return (def?.requiresAnyOf ?? []).some(
    (g) => g.includes(key as never) && g.some((k) => k !== key && ['ok', 'absent'].includes(inputs.get(k)?.status ?? '')),
  );
}

let registry: Registry;
let server: TestApiServer;
let tmp: TempDir;
let kubeconfig: string;

async function run(source: Source): Promise<Report> {
  try {
    return (
      await scan({
        source,
        registry,
        config: EMPTY_CONFIG,
        now: NOW,
        targetVersion: TARGET,
        failOn: 'critical',
        options: { kubeconfig, requestTimeoutMs: 10_000 },
      })
    ).report;
  } finally {
    await source.close();
  }
}

const scanDump = async (dir: string): Promise<Report> => run(await DumpSource.open(dir));
const scanLive = async (): Promise<Report> => run((await openTestLive(server, kubeconfig)).source);

beforeAll(async () => {
  registry = new Registry(await loadBuiltinChecks());
  server = await TestApiServer.start(SAMPLE);
  tmp = tempDir('kube-preflight-ablation-');
  kubeconfig = server.writeKubeconfig(join(tmp.path, 'kubeconfig'));
});

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await server?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  tmp?.remove();
});

describe('ablation of the sample dump', () => {
  it('each part taken away: findings only lost, never GO, every declaring check names it', { timeout: 600_000 }, async () => {
    const fullDump = await scanDump(SAMPLE);
    const fullLive = await scanLive();
    expect(fullDump.summary.verdict).toBe('NO-GO');
    const rows: string[] = [];
    const failures: string[] = [];
    for (const part of parts()) {
      const dir = join(tmp.path, 'dump');
      rmSync(dir, { recursive: true, force: true });
      cpSync(SAMPLE, dir, { recursive: true });
      rmSync(join(dir, part.path), { recursive: true, force: true });
      const dump = await scanDump(dir);
      failures.push(...problems(part, 'dump', fullDump, dump).map((p) => `${part.path} (dump): ${p}`));
      let live: Report | undefined;
      if (part.resource || part.livePath) {
        server.reset();
        if (part.resource) server.forbid(part.resource.group, part.resource.plural);
        else server.fault(part.livePath!, { status: 403 });
        live = await scanLive();
        failures.push(...problems(part, 'live', fullLive, live).map((p) => `${part.path} (live 403): ${p}`));
      }
      rows.push(...goldenRows(part, fullDump, dump, fullLive, live));
    }
    server.reset();
    const golden = goldenText(rows);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, golden);
    expect(failures).toEqual([]);
    expect(golden).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});

function lost(full: Report, ablated: Report): string[] {
  const now = new Set(ablated.findings.map((f) => f.fingerprint));
  return full.findings
    .filter((f) => !now.has(f.fingerprint))
    .map(findingKey)
    .sort();
}

function goldenRows(part: Part, fullDump: Report, dump: Report, fullLive: Report, live: Report | undefined): string[] {
  const d = lost(fullDump, dump);
  const l = live ? lost(fullLive, live) : undefined;
  const verdicts = `${dump.summary.verdict}${live ? ` / ${live.summary.verdict}` : ''}`;
  const notAssessed = `${dump.summary.notAssessed.length}${live ? ` / ${live.summary.notAssessed.length}` : ''}`;
  const all = [...new Set([...d, ...(l ?? [])])].sort();
  if (all.length === 0) return [`| \`${part.path}\` | ${verdicts} | ${notAssessed} | — | |`];
  return all.map((k, i) => {
    const where = l === undefined ? 'dump' : d.includes(k) && l.includes(k) ? 'both' : d.includes(k) ? 'dump' : 'live';
    return i === 0 ? `| \`${part.path}\` | ${verdicts} | ${notAssessed} | ${k} | ${where} |` : `| | | | ${k} | ${where} |`;
  });
}

function goldenText(rows: string[]): string {
  return [
    '# Ablation of the sample dump',
    '',
    `Written by test/e2e/ablation.test.ts: the sample (\`fixtures/dumps/lab-1.26\`, now ${NOW.toISOString()}, target ${TARGET}) scanned`,
    'with each part taken away — left out of the dump, and for what a live cluster serves, answered',
    'with 403 by the test API server. Verdicts and the number of checks not fully assessed are',
    '"dump / live"; each finding lost is listed with the mode(s) that lost it.',
    '',
    '| part taken away | verdict | not assessed | finding lost | lost in |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
