/**
 * The layer diagram of docs/architecture.md, enforced: eslint/layers.js alone (no other lint
 * rule) run over the tree reports no import that crosses a layer upward, and does report one
 * when a file makes it; the diagram's order of layers is the one these rules enforce. No module
 * of src/ or checks/ imports itself through others (madge).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import madge from 'madge';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** eslint/layers.js is plain JavaScript (ESLint reads it as is), so it is imported by URL. */
const layers = ((await import(new URL('../eslint/layers.js', import.meta.url).href)) as { default: Linter.Config[] }).default;

function eslint(): ESLint {
  return new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: [{ ignores: ['dist/**'] }, ...layers] });
}

/** `file specifier` of each layer violation (the rule quotes the specifier first). */
function violations(results: ESLint.LintResult[]): string[] {
  return results.flatMap((r) =>
    r.messages
      .filter((m) => m.ruleId === 'no-restricted-imports')
      .map((m) => `${r.filePath.slice(ROOT.length)} ${/^'([^']+)'/.exec(m.message)?.[1] ?? m.message}`),
  );
}

async function lintAs(file: string, code: string): Promise<string[]> {
  return violations(await eslint().lintText(code, { filePath: `${ROOT}${file}` }));
}

describe('layer boundaries (eslint/layers.js)', () => {
  let results: ESLint.LintResult[];
  beforeAll(async () => {
    results = await eslint().lintFiles(['src', 'checks', 'fixtures/plugins']);
  }, 120_000);

  it('lints every source file of every layer', () => {
    const files = results.map((r) => r.filePath.slice(ROOT.length));
    for (const dir of [
      'src/contract/',
      'src/k8s/',
      'src/sources/',
      'src/engine/',
      'src/report/',
      'src/render/',
      'src/evidence/',
      'src/cli/',
      'checks/',
      'fixtures/plugins/',
    ]) {
      expect(
        files.some((f) => f.startsWith(dir)),
        dir,
      ).toBe(true);
    }
    expect(results.flatMap((r) => r.messages.filter((m) => m.fatal === true).map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  });

  it('finds no import that crosses a layer upward', () => {
    expect(violations(results)).toEqual([]);
  });

  it('reports an upward import in each layer', async () => {
    expect(await lintAs('src/contract/probe.ts', "import type { KubeObject } from '../k8s/objects.js';\n")).toEqual([
      'src/contract/probe.ts ../k8s/objects.js',
    ]);
    expect(await lintAs('src/contract/probe.ts', "import { z } from 'zod';\n")).toEqual(['src/contract/probe.ts zod']);
    expect(await lintAs('src/contract/values/probe.ts', "import type { ResourceRef } from '../resource.js';\n")).toEqual([]);
    expect(
      await lintAs(
        'src/contract/values/probe.ts',
        "import type { KubeObject } from '../../k8s/objects.js';\nimport { limits } from '../../limits.js';\n",
      ),
    ).toEqual(['src/contract/values/probe.ts ../../k8s/objects.js', 'src/contract/values/probe.ts ../../limits.js']);
    expect(
      await lintAs(
        'src/k8s/probe.ts',
        "import type { Source } from '../sources/source.js';\nimport { runChecks } from '../engine/run.js';\n",
      ),
    ).toEqual(['src/k8s/probe.ts ../sources/source.js', 'src/k8s/probe.ts ../engine/run.js']);
    expect(await lintAs('src/sources/inputs/probe.ts', "import type { Config } from '../../engine/config.js';\n")).toEqual([
      'src/sources/inputs/probe.ts ../../engine/config.js',
    ]);
    expect(await lintAs('src/engine/probe.ts', "import { buildReport } from '../report/build.js';\n")).toEqual([
      'src/engine/probe.ts ../report/build.js',
    ]);
    expect(await lintAs('src/report/probe.ts', "import { renderText } from '../render/text.js';\n")).toEqual([
      'src/report/probe.ts ../render/text.js',
    ]);
    expect(await lintAs('src/render/probe.ts', "import { DumpSource } from '../sources/dump.js';\n")).toEqual([
      'src/render/probe.ts ../sources/dump.js',
    ]);
    expect(await lintAs('src/cli/probe.ts', "import check from '../../checks/pdb/pdb-blocking.js';\n")).toEqual([
      'src/cli/probe.ts ../../checks/pdb/pdb-blocking.js',
    ]);
  });

  it('lets a check import the contract, src/k8s and its own lib/ and data/ only', async () => {
    const allowed = [
      "import { defineCheck } from '../../src/contract/check.js';",
      "import { drainPlan } from '../../src/k8s/drain.js';",
      "import { pdbsOf } from './lib/common.js';",
      "import semver from 'semver';",
      "import type { FoundCertificate } from '../../src/contract/values/certs.js';",
    ].join('\n');
    expect(await lintAs('checks/pdb/pdb-probe.ts', allowed)).toEqual([]);
    const upward = [
      "import { scan } from '../../src/report/scan.js';",
      "import type { PdbInfo } from '../../src/sources/inputs/pdb.js';",
      "import { BACKUP_TOOLS } from '../../src/sources/inputs/backup.js';",
      "import type { FoundCertificate } from '../../src/sources/inputs/certs/found-certificate.js';",
      "import { limits } from '../../src/limits.js';",
      "import { inventory } from '../certs/lib/inventory.js';",
    ].join('\n');
    expect(await lintAs('checks/pdb/pdb-probe.ts', upward)).toEqual([
      'checks/pdb/pdb-probe.ts ../../src/report/scan.js',
      'checks/pdb/pdb-probe.ts ../../src/sources/inputs/pdb.js',
      'checks/pdb/pdb-probe.ts ../../src/sources/inputs/backup.js',
      'checks/pdb/pdb-probe.ts ../../src/sources/inputs/certs/found-certificate.js',
      'checks/pdb/pdb-probe.ts ../../src/limits.js',
      'checks/pdb/pdb-probe.ts ../certs/lib/inventory.js',
    ]);
    expect(
      await lintAs(
        'checks/etcd/lib/probe.ts',
        "import { ETCD_FILES } from '../../../src/sources/inputs/etcd.js';\nimport { x } from '../../apis/lib/judge.js';\n",
      ),
    ).toEqual(['checks/etcd/lib/probe.ts ../../../src/sources/inputs/etcd.js', 'checks/etcd/lib/probe.ts ../../apis/lib/judge.js']);
  });

  it('lets a plugin import the package entry only', async () => {
    expect(await lintAs('fixtures/plugins/probe/index.js', "import { defineCheck } from 'kube-preflight';\n")).toEqual([]);
    expect(await lintAs('fixtures/plugins/probe/index.js', "import { defineCheck } from '../../../src/contract/check.js';\n")).toEqual([
      'fixtures/plugins/probe/index.js ../../../src/contract/check.js',
    ]);
  });
});

/** A module of each layer of the diagram, under src/ and without its extension. */
const MODULES: Record<string, string> = {
  contract: 'contract/report',
  helpers: 'limits',
  k8s: 'k8s/objects',
  sources: 'sources/source',
  engine: 'engine/run',
  report: 'report/scan',
  render: 'render/text',
  cli: 'cli/main',
};
/** The file a probe of `layer` stands in: the helpers are single files, the others folders. */
const probeOf = (layer: string): string => (layer === 'helpers' ? 'src/limits.ts' : `src/${MODULES[layer]!.split('/')[0]!}/probe.ts`);
/** How another layer's probe imports `layer`. */
const targetOf = (layer: string): string => `../${MODULES[layer]!}.js`;

describe("docs/architecture.md's layer diagram", () => {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Layers and what may import what'));
  /** The diagram's first line: `contract ◀── helpers ◀── … ◀── cli`, lowest first. */
  const chain = /```\n(.+)\n/
    .exec(section)![1]!
    .split('◀──')
    .map((w) => w.trim());
  /** The table's `never X` exceptions: the renderers may not import src/sources/. */
  const never = [...section.matchAll(/^\| Renderers and evidence \|.*never `src\/(\w+)\/`/gm)].map((m) => m[1]!);

  it('names the layers eslint/layers.js holds, lowest first', () => {
    expect(chain).toEqual(Object.keys(MODULES));
    expect(never).toEqual(['sources']);
    const names = layers.map((c) => c.name);
    for (const layer of chain) expect(names).toContain(`layers/${layer}`);
  });

  it('is what eslint/layers.js enforces: each layer imports the ones to its left, none to its right', async () => {
    for (const [i, from] of chain.entries()) {
      const others = chain.filter((to) => to !== from);
      const code = others.map((to, n) => `import * as m${n} from '${targetOf(to)}';`).join('\n');
      const refused = chain.filter((to, j) => j > i || (from === 'render' && never.includes(to)));
      expect(await lintAs(probeOf(from), `${code}\n`), from).toEqual(refused.map((to) => `${probeOf(from)} ${targetOf(to)}`));
    }
  });
});

describe('import cycles (madge)', () => {
  let graph: madge.MadgeInstance;
  beforeAll(async () => {
    graph = await madge(['src', 'checks'], { baseDir: ROOT, fileExtensions: ['ts'] });
  }, 120_000);

  it('resolves every relative import of src and checks (`./x.js` to x.ts)', () => {
    expect(graph.warnings().skipped).toEqual([]);
    expect(graph.obj()['src/sources/live/permissions.ts']).toContain('src/sources/everything.ts');
  });

  it('finds no cycle, dynamic imports included', () => {
    expect(graph.circular()).toEqual([]);
  });
});
