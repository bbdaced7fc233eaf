// Writing a generated source file, or (with --check) telling whether the committed one is
// stale: shared by scripts/report-validators.js and scripts/checks-index.js.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Writes `text` to `--out FILE` (default `file`), or with `--check` compares it with what is
 * there. Returns the exit code: 1 when the file is stale or missing (`rerun` is the command
 * the message names), else 0.
 */
export function writeOrCheck(argv, file, text, rerun, root) {
  const at = argv.indexOf('--out');
  const out = at >= 0 ? argv[at + 1] : file;
  if (!argv.includes('--check')) {
    writeFileSync(out, text);
    return 0;
  }
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {
    // A missing file is stale.
  }
  if (current === text) return 0;
  console.error(`${relative(root, out)} is stale: run ${rerun} (or npm run build)`);
  return 1;
}
