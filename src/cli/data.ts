/**
 * `--data DIR`: newer release and deprecated-API tables than the built-in ones (like Pluto's
 * `--additional-versions`, but replacing the table). DIR holds `releases.json` and/or
 * `deprecated-apis.json`, in the format of the built-in files; a file that is missing keeps the
 * built-in table. Each file is validated before the scan; a bad one ends the command (exit 2)
 * with one line naming the file and the path of the problem.
 */
import { useDeprecationTable } from '../../checks/apis/data/deprecated-apis.js';
import { loadDataDir } from '../k8s/tables.js';
import { useReleaseTable } from '../k8s/versions.js';

/** Loads DIR's tables and makes them the ones every check uses. Throws `FatalError`. */
export function applyDataDir(dir: string): void {
  const t = loadDataDir(dir);
  if (t.releases) useReleaseTable(t.releases);
  if (t.deprecations) useDeprecationTable(t.deprecations);
}
