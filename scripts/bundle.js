// Bundles the CLI with esbuild into dist/bundle/ (run by `npm run build` after tsc, from its
// output in dist/src): bin/kube-preflight.js and bin/kubectl-preflight.js run
// dist/bundle/main.js. One bundle of the program and its dependencies is read and compiled at
// start much faster than the ~300 ES modules it is made of. The library entry (dist/src/index.js)
// and dist/checks stay as tsc emits them, for plugins and API users.
//
// Code splitting keeps lazy what is lazy: each dynamic import() (a command, a renderer, a
// package such as pdf-lib or ora, each built-in check through src/engine/builtin-checks.generated.ts)
// is its own chunk, loaded only when the program reaches it. Left out of the bundle and loaded
// from node_modules: the browser driver and its downloader (puppeteer-core, @puppeteer/browsers),
// the Kubernetes client and the S3 client (large, only for PDF, exec-plugin kubeconfigs and S3
// dumps), and what is loaded with createRequire (src/k8s/lazy-require.ts, the generated report
// validators' Ajv helpers). No source maps: the CLI prints no stack traces.
//
//   node scripts/bundle.js    writes dist/bundle/ and dist/bundle/meta.json (esbuild's metafile:
//                             the input modules of each chunk, read by test/cli/lazy-imports.test.ts)
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle');

/** Packages loaded from node_modules at run time (see above). */
export const EXTERNAL = ['puppeteer-core', '@puppeteer/browsers', '@kubernetes/client-node', '@aws-sdk/client-s3', 'pdf-lib'];

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: {
    main: join(ROOT, 'dist', 'src', 'cli', 'main.js'),
    // The loading thread of large dumps (src/sources/load-worker.ts), started by the dump source.
    'load-worker': join(ROOT, 'dist', 'src', 'sources', 'load-worker.js'),
  },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: OUT,
  chunkNames: 'chunk-[hash]',
  external: EXTERNAL,
  // Bundled CommonJS packages call require() for Node's built-in modules: an ES module has none.
  banner: { js: "import { createRequire as __kpCreateRequire } from 'node:module';\nconst require = __kpCreateRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(join(OUT, 'meta.json'), JSON.stringify(result.metafile));
