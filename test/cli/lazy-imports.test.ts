/**
 * What the built CLI loads: `--version` and `--help` load the command definitions and nothing
 * heavy, and a scan that writes JSON loads neither the HTML/PDF renderers (handlebars, the
 * browser driver, pdf-lib) nor the Kubernetes client, nor (with -q) the Ajv compiler or the
 * spinner — nor does a live scan whose kubeconfig user has a token (client-node is for exec
 * plugins, auth providers and proxies); `--checks certs` loads the certs checks and no other.
 * Each run is a child process with a module resolution hook (`module.register`) that appends
 * every resolved URL to a file; the assertions are on that list, not on time.
 *
 * The CLI runs the esbuild bundle (scripts/bundle.js): the hook sees the bundle's chunks, and
 * each chunk stands for the modules bundled in it, as esbuild's metafile
 * (dist/bundle/meta.json) lists them. Packages left out of the bundle are resolved as before.
 * The bundle must be newer than the tsc output it was made from, or every CLI test runs old code.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { TestApiServer } from '../support/apiserver.js';
import { runCli } from '../support/cli.js';
import { tempDir, type TempDir } from '../support/live.js';

const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');

/** Packages and modules a JSON scan has no use for. */
const HTML_PDF_AND_CLIENT = [
  '/node_modules/handlebars/',
  '/node_modules/puppeteer-core/',
  '/node_modules/@puppeteer/browsers/',
  '/node_modules/pdf-lib/',
  '/node_modules/xmlbuilder2/',
  '/node_modules/@kubernetes/client-node/',
  '/dist/src/render/html.js',
  '/dist/src/render/pdf.js',
  '/dist/src/render/browser.js',
];

/**
 * A quiet JSON scan does not compile the report schema (its validators are generated at build
 * time: scripts/report-validators.js) nor load the spinner, the text renderers and their tables,
 * or tar (a folder dump is not an archive); js-yaml only reads Helm release manifests, and the
 * sample has none.
 */
const NOT_IN_QUIET_JSON_SCAN = [
  ...HTML_PDF_AND_CLIENT,
  '/node_modules/js-yaml/',
  '/node_modules/tar/',
  '/node_modules/cli-table3/',
  '/dist/src/render/index.js',
  '/dist/src/render/text.js',
  '/node_modules/ajv/dist/2020.js',
  '/node_modules/ajv/dist/ajv.js',
  '/node_modules/ajv-formats/dist/index.js',
  '/node_modules/ora/',
];

/** What `--version` and `--help` need even less: checks, validation, parsers, tables. */
const NOT_AT_START = [
  ...HTML_PDF_AND_CLIENT,
  '/node_modules/zod/',
  '/node_modules/ajv/',
  '/node_modules/yaml/',
  '/node_modules/cli-table3/',
  '/node_modules/ora/',
  '/dist/checks/',
  '/dist/src/engine/',
  '/dist/src/sources/',
];

let dir: TempDir;
let hook: string;

beforeAll(() => {
  dir = tempDir('kp-lazy-');
  const hooks = join(dir.path, 'hooks.mjs');
  writeFileSync(
    hooks,
    [
      "import { appendFileSync } from 'node:fs';",
      'export async function resolve(specifier, context, next) {',
      '  const r = await next(specifier, context);',
      "  appendFileSync(process.env.KP_TEST_MODULE_LOG, r.url + '\\n');",
      '  return r;',
      '}',
    ].join('\n'),
  );
  hook = join(dir.path, 'register.mjs');
  writeFileSync(
    hook,
    [
      "import { appendFileSync } from 'node:fs';",
      "import { createRequire, register } from 'node:module';",
      "import { pathToFileURL } from 'node:url';",
      `register(${JSON.stringify(pathToFileURL(hooks).href)});`,
      // require() (CommonJS, and createRequire in ESM) does not go through the resolve hook:
      // the modules it loaded are listed at exit.
      'const require = createRequire(import.meta.url);',
      "process.on('exit', () => appendFileSync(process.env.KP_TEST_MODULE_LOG, Object.keys(require.cache).map((f) => pathToFileURL(f).href + '\\n').join('')));",
    ].join('\n'),
  );
});

afterAll(() => dir.remove());

const BUNDLE = pathToFileURL(join(PACKAGE_ROOT, 'dist', 'bundle')).href + '/';

/** The URLs of the modules bundled in each output file of the bundle, by the output's URL. */
const bundled = new Map(
  Object.entries(
    (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'dist', 'bundle', 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: object }> })
      .outputs,
  ).map(([out, { inputs }]) => [
    pathToFileURL(join(PACKAGE_ROOT, out)).href,
    Object.keys(inputs).map((i) => pathToFileURL(join(PACKAGE_ROOT, i)).href),
  ]),
);

/**
 * Runs the CLI with the hook; resolves to its exit code, the URLs it resolved, and the modules
 * it loaded: the URLs with each bundle chunk replaced by the modules bundled in it.
 */
async function loaded(name: string, args: string[]): Promise<{ code: number | null; urls: string[] }> {
  const log = join(dir.path, `${name}.log`);
  writeFileSync(log, '');
  const r = await runCli(args, { env: { NODE_OPTIONS: `--import ${pathToFileURL(hook).href}`, KP_TEST_MODULE_LOG: log } });
  const resolved = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  const urls = resolved.flatMap((u) => {
    if (!u.startsWith(BUNDLE)) return [u];
    const inputs = bundled.get(u);
    if (!inputs) throw new Error(`${u} is not in dist/bundle/meta.json (rebuild: npm run build)`);
    return inputs;
  });
  // The program ran from the bundle: it resolved chunks, and none of the modules tsc emits.
  expect(resolved.filter((u) => u.startsWith(BUNDLE)).length).toBeGreaterThan(1);
  expect(resolved.filter((u) => /\/dist\/(src|checks)\//.test(u))).toEqual([]);
  return { code: r.code, urls };
}

/** client-node's kubeconfig parsers: one small module without its API (`src/sources/live/kubeconfig.ts`). */
const ALLOWED = ['/node_modules/@kubernetes/client-node/dist/config_types.js'];

/** The check modules among `urls`, as `<family>/<id>.js`, sorted. */
function checkModules(urls: string[]): string[] {
  return urls
    .filter((u) => /\/dist\/checks\/[a-z]+\/[a-z0-9-]+\.js$/.test(u))
    .map((u) => u.replace(/^.*\/dist\/checks\//, ''))
    .sort();
}

function offending(urls: string[], forbidden: string[]): string[] {
  return [...new Set(urls.filter((u) => forbidden.some((f) => u.includes(f)) && !ALLOWED.some((a) => u.endsWith(a))))];
}

describe('modules the CLI loads', () => {
  it('come from a bundle made from the current tsc output (else: npm run build)', () => {
    const meta = join(PACKAGE_ROOT, 'dist', 'bundle', 'meta.json');
    const inputs = Object.keys((JSON.parse(readFileSync(meta, 'utf8')) as { inputs: object }).inputs).filter((i) => i.startsWith('dist/'));
    expect(inputs).toContain('dist/src/cli/main.js');
    const newer = inputs.filter((i) => statSync(join(PACKAGE_ROOT, i)).mtimeMs > statSync(meta).mtimeMs);
    expect(newer).toEqual([]);
  });

  it('--version and --help load the command definitions only', async () => {
    for (const [name, args] of [
      ['version', ['--version']],
      ['help', ['scan', '--help']],
    ] as const) {
      const { code, urls } = await loaded(name, [...args]);
      expect(code).toBe(0);
      // The hook saw the program itself (so an empty list cannot pass).
      expect(urls.some((u) => u.endsWith('/dist/src/cli/main.js'))).toBe(true);
      expect(offending(urls, NOT_AT_START)).toEqual([]);
    }
  });

  it('a quiet scan writing report.json in a folder loads no HTML, PDF, Kubernetes client, Ajv compiler or spinner', async () => {
    const out = join(dir.path, 'out');
    const { code, urls } = await loaded('scan-json', [
      'scan',
      '--dump',
      LAB,
      '--now',
      '2026-11-23T07:00:18Z',
      '--format',
      'json',
      '-o',
      out,
      '-q',
    ]);
    // The sample's verdict is NO-GO (exit 1).
    expect(code).toBe(1);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toMatch(/^\{/);
    expect(urls.some((u) => u.endsWith('/dist/src/render/json.js'))).toBe(true);
    expect(urls.some((u) => u.endsWith('/dist/src/engine/report-validators.generated.js'))).toBe(true);
    expect(offending(urls, NOT_IN_QUIET_JSON_SCAN)).toEqual([]);
  });

  it('a scan with --checks certs loads the certs checks and no other check', async () => {
    const { code, urls } = await loaded('scan-certs', [
      'scan',
      '--dump',
      LAB,
      '--now',
      '2026-11-23T07:00:18Z',
      '--checks',
      'certs',
      '--format',
      'json',
      '-o',
      join(dir.path, 'out-certs'),
      '-q',
    ]);
    // The sample's certificates leave some certs checks incomplete (exit 3).
    expect(code).toBe(3);
    const checks = checkModules(urls);
    expect(checks).toEqual([
      'certs/certs-chain.js',
      'certs/certs-cluster-expiry.js',
      'certs/certs-pki-expiry.js',
      'certs/certs-system-masters.js',
      'certs/certs-weak-crypto.js',
    ]);
  });

  it('--config and --set with --checks load the selected checks and those they name', async () => {
    const cfg = join(dir.path, 'kp.yaml');
    writeFileSync(cfg, 'checks:\n  pdb-drain-plan:\n    options:\n      maxParallelDrains: 2\n');
    const { code, urls } = await loaded('scan-config', [
      'scan',
      '--dump',
      LAB,
      '--now',
      '2026-11-23T07:00:18Z',
      '--checks',
      'certs-pki-expiry',
      '--config',
      cfg,
      '--set',
      'rbac-cluster-admins.enabled=false',
      '--format',
      'json',
      '-o',
      join(dir.path, 'out-config'),
      '-q',
    ]);
    expect(code).toBe(0);
    const checks = checkModules(urls);
    expect(checks).toEqual(['certs/certs-pki-expiry.js', 'pdb/pdb-drain-plan.js', 'rbac/rbac-cluster-admins.js']);
  });

  it('a scan that decodes a Helm release loads js-yaml (the list sees require() too)', async () => {
    const { code, urls } = await loaded('scan-helm', [
      'scan',
      '--dump',
      join(PACKAGE_ROOT, 'fixtures', 'checks', 'apis-removed', 'fail-helm-releases'),
      '--checks',
      'apis-removed',
      '--format',
      'json',
      '-o',
      join(dir.path, 'out-helm'),
      '-q',
    ]);
    expect(code).toBe(1);
    expect(offending(urls, ['/node_modules/js-yaml/']).length).toBeGreaterThan(0);
  });

  it('the same scan as HTML does load the HTML renderer (the hook sees lazy imports)', async () => {
    const out = join(dir.path, 'out-html');
    const { code, urls } = await loaded('scan-html', [
      'scan',
      '--dump',
      LAB,
      '--now',
      '2026-11-23T07:00:18Z',
      '--format',
      'html',
      '-o',
      out,
      '-q',
    ]);
    // The sample's verdict is NO-GO (exit 1).
    expect(code).toBe(1);
    expect(offending(urls, ['/dist/src/render/html.js'])).toHaveLength(1);
    expect(offending(urls, ['/node_modules/handlebars/']).length).toBeGreaterThan(0);
  });

  it('a live scan with a token loads no Kubernetes client, HTML or PDF code', async () => {
    const server = await TestApiServer.start(LAB);
    try {
      const kubeconfig = server.writeKubeconfig(join(dir.path, 'kubeconfig'));
      const { code, urls } = await loaded('scan-live', [
        'scan',
        '--kubeconfig',
        kubeconfig,
        '--format',
        'json',
        '-o',
        join(dir.path, 'out-live'),
        '-q',
      ]);
      expect([0, 1, 3]).toContain(code);
      expect(server.requests.length).toBeGreaterThan(0);
      expect(urls.some((u) => u.endsWith('/dist/src/sources/live/kubeconfig.js'))).toBe(true);
      expect(offending(urls, HTML_PDF_AND_CLIENT)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
