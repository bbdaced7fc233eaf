// ESLint 9 flat config. `npm run lint` checks every TypeScript file that `npm run typecheck`
// compiles, with typescript-eslint's strict and stylistic type-checked presets.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint/layers.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'templates/**', 'test-results.json'] },
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
    },
  },
  {
    // Lines of src/ and checks/ stay readable side by side in a review: long prose is split
    // into several string pieces, long expressions into named parts.
    files: ['src/**/*.ts', 'checks/**/*.ts'],
    rules: { 'max-len': ['error', { code: 140, ignoreUrls: true }] },
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
