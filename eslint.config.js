// ESLint 9 flat config. `npm run lint` checks every TypeScript file that `npm run typecheck`
// compiles, with typescript-eslint's strict and stylistic type-checked presets.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint/layers.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'templates/**', 'test-results.json', 'src/**/*.generated.ts'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        // One program for src, checks, bench, scripts and test: the same file list and options
        // `npm run typecheck` uses (tsconfig.json leaves test/ out).
        project: './tsconfig.check.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // noUncheckedIndexedAccess types every `xs[i]` and `map.get(k)` as possibly undefined; `!` after
      // a length or `has` check is this code base's idiom for "checked above" (641 sites).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Numbers in messages are the common case ("3 voters", "in 12 days"); other types stay flagged.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `T[]` for simple element types, `Array<...>` where `(A | B)[]` would need parentheses.
      '@typescript-eslint/array-type': ['error', { default: 'array-simple' }],
      // `(x) => void log(x)`-style shorthands that return nothing are clear enough.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Kubernetes leaves unset strings empty (""), so `name || fallback` is meant; `??` is still
      // required for numbers, booleans and objects.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
      // `_`-prefixed names mark parameters an interface requires and keys left out of a rest copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Methods implement Promise-returning interfaces (sources, servers); `async` keeps a throw a
      // rejection even when the body needs no await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read JSON.parse output and use vitest's asymmetric matchers (expect.any,
      // expect.stringContaining), both typed `any`; the assertions themselves check the shapes.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Lines of src/ and checks/ stay readable side by side in a review: long prose is split
    // into several string pieces, long expressions into named parts.
    files: ['src/**/*.ts', 'checks/**/*.ts'],
    // A row of a markdown table in a doc comment cannot wrap.
    rules: { 'max-len': ['error', { code: 140, ignoreUrls: true, ignorePattern: String.raw`^\s*\* \|` }] },
  },
  {
    // The config files and the CLI shims are plain JavaScript run by Node.
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  // ---- Layering rules (which layer may import which): see eslint/layers.js. ----
  ...layers,
);
