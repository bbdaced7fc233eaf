// Layer boundaries of docs/architecture.md ("Layers and what may import what"), as ESLint
// flat-config objects: one `no-restricted-imports` rule per layer, matched on the import
// specifier (relative paths keep the folder names of src/, so `../engine/run.js` and
// `../../src/engine/run.js` are both the engine). Layers, lowest first; each may import the
// layers before it and nothing after:
//
//   contract ← helpers ← k8s ← sources ← engine ← report ← render (with evidence) ← cli
//   testing and src/index.ts sit beside the CLI; checks see contract, k8s and their own lib/ and
//   data/; plugins see the package entry only.
//
// test/architecture.test.ts runs these rules alone over the tree and expects no error.
import tseslint from 'typescript-eslint';

/** A folder of src/ named anywhere in a relative specifier (`../engine/`, `../../src/engine/`). */
const folder = (...names) => `(^|/)(${names.join('|')})/`;

const restrict = (message, ...regexes) => regexes.map((regex) => ({ regex, message }));

/** One layer: its files and the specifiers they must not import. */
function layer(name, files, patterns, ignores = []) {
  return {
    name: `layers/${name}`,
    files,
    ...(ignores.length > 0 ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

// fleet and trend are commands' implementations: the CLI layer (they scan, read and render reports).
const ABOVE_CONTRACT = ['k8s', 'sources', 'engine', 'report', 'render', 'evidence', 'fleet', 'trend', 'cli', 'testing'];
// render and evidence are one layer: renderers stamp the report's digest, `verify` reads it back.
const above = (layerName) => ABOVE_CONTRACT.slice(ABOVE_CONTRACT.indexOf(layerName) + 1);
const CHECKS = '(^|/)checks/';

export default [
  {
    name: 'layers/typescript-parser',
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    // Registered so that inline directives naming its rules resolve when these rules run alone.
    plugins: { '@typescript-eslint': tseslint.plugin },
  },
  layer(
    'contract',
    ['src/contract/*.ts'],
    restrict('src/contract imports nothing but other contract files and node: modules.', '^(?!\\./|node:)'),
  ),
  layer(
    'contract-values',
    ['src/contract/values/*.ts'],
    restrict('src/contract imports nothing but other contract files and node: modules.', '^(?!\\./|\\.\\./\\w[\\w.-]*$|node:)'),
  ),
  layer(
    'helpers',
    ['src/limits.ts', 'src/paths.ts', 'src/files.ts', 'src/dates.ts', 'src/lists.ts'],
    restrict('The shared helpers import only the contract.', folder(...ABOVE_CONTRACT), CHECKS),
  ),
  layer(
    'k8s',
    ['src/k8s/**/*.ts'],
    restrict('src/k8s (domain logic) imports only the contract and the helpers.', folder(...above('k8s')), CHECKS),
  ),
  layer(
    'sources',
    ['src/sources/**/*.ts'],
    restrict('src/sources imports only the contract, the helpers and src/k8s.', folder(...above('sources')), CHECKS),
  ),
  layer(
    'engine',
    ['src/engine/**/*.ts'],
    restrict('src/engine imports only the contract, the helpers, src/k8s and src/sources.', folder(...above('engine')), CHECKS),
  ),
  layer(
    'report',
    ['src/report/**/*.ts'],
    restrict('src/report must not import renderers, evidence, the CLI or checks.', folder(...above('report')), CHECKS),
  ),
  layer(
    'render',
    ['src/render/**/*.ts', 'src/evidence/**/*.ts'],
    restrict('A renderer is a function of the report: no sources, CLI or checks.', folder('sources', ...above('evidence')), CHECKS),
  ),
  layer(
    'testing',
    ['src/testing/**/*.ts'],
    restrict('The fixture tester does not import the CLI, renderers or checks.', folder('render', 'evidence', 'cli'), CHECKS),
  ),
  layer(
    'cli',
    ['src/cli/**/*.ts', 'src/fleet/**/*.ts', 'src/trend/**/*.ts'],
    restrict('The CLI loads checks through the registry; it imports only their data/ tables.', '(^|/)checks/(?![\\w-]+/data/)'),
  ),
  layer('public-api', ['src/index.ts'], restrict('The public API does not export the CLI or checks.', folder('cli'), CHECKS)),
  layer(
    'checks',
    ['checks/*/*.ts'],
    restrict('A check imports src/contract, src/k8s and its own lib/ and data/ only.', '^\\.\\./(?!\\.\\./src/(contract|k8s)/)'),
  ),
  layer(
    'checks-lib',
    ['checks/*/lib/*.ts'],
    restrict(
      "A check's lib/ imports src/contract, src/k8s and its own family's files only.",
      '^\\.\\./\\.\\./(?!\\.\\./src/(contract|k8s)/)',
    ),
  ),
  layer(
    'plugins',
    ['fixtures/plugins/**/*.{js,ts}'],
    restrict("A plugin imports only the package entry ('kube-preflight').", '^\\.\\.(/|$)|(^|/)(src|checks|dist)/'),
  ),
];
