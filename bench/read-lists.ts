/**
 * The baseline of the scale benchmark: the cost of only reading a dump's lists — every
 * resources file read and parsed, nothing normalized, nothing kept.
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

let objects = 0;
for (const f of await walk(join(process.argv[2]!, 'resources'))) {
  const doc = JSON.parse(await readFile(f, 'utf8')) as { items?: unknown[] };
  objects += doc.items?.length ?? 1;
}
process.stdout.write(`${objects}\n`);
