/**
 * The floor of an offline scan, run as its own process by `npm run bench`: read every JSON
 * file of a dump folder (`*.json` anywhere in it — `resources/**`, `etcd/`, `backups/`,
 * `version.json`, `metadata.json`) and `JSON.parse` it; nothing normalized, nothing kept.
 * Other files (`pki/` PEM and kubeconfigs, `metrics/` text, YAML) are not read: the floor
 * is the JSON cost only. Files are read one at a time, as the scan's own loader reads them.
 *
 * Usage: `node dist/bench/read-lists.js <dump-dir>`; prints `{"files":…,"bytes":…}` (bytes of
 * the JSON read) on stdout.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await walk(join(dir, e.name))));
    else if (e.name.endsWith('.json')) out.push(join(dir, e.name));
  }
  return out;
}

let files = 0;
let bytes = 0;
for (const f of await walk(process.argv[2]!)) {
  const buf = await readFile(f);
  JSON.parse(buf.toString('utf8'));
  files++;
  bytes += buf.length;
}
process.stdout.write(`${JSON.stringify({ files, bytes })}\n`);
