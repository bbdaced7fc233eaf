/**
 * The floor of a live scan, run as its own process by `npm run bench`: the least a client
 * does to read what a live scan read. It sends the same GET requests (discovery, `/version`,
 * every LIST with its `limit=500`), follows each LIST's `continue` tokens to the last page
 * (asking for a page once the one before it is parsed),
 * 4 requests at a time (the live scan's LIST concurrency) over keep-alive HTTPS, asks for gzip,
 * and `JSON.parse`s every body; nothing else is kept.
 *
 * Usage: `KP_BENCH_TOKEN=… node dist/bench/live-client.js <server-url> <ca.pem> <paths.json>`,
 * `paths.json` a JSON array of request paths with their query. Prints
 * `{"requests":…,"bytes":…}` (bytes decompressed) on stdout; exits 1 on an HTTP status other
 * than 200.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';

const [server, caFile, pathsFile] = process.argv.slice(2) as [string, string, string];
const agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca: readFileSync(caFile) });
const headers = { Authorization: `Bearer ${process.env.KP_BENCH_TOKEN ?? ''}`, Accept: 'application/json', 'Accept-Encoding': 'gzip' };
const paths = JSON.parse(readFileSync(pathsFile, 'utf8')) as string[];
let requests = 0;
let bytes = 0;

function get(path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    https
      .get(new URL(path, server), { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          requests++;
          if (res.statusCode !== 200) {
            reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
            return;
          }
          const raw = Buffer.concat(chunks);
          const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
          bytes += body.length;
          try {
            resolve(String(res.headers['content-type']).includes('json') ? JSON.parse(body.toString('utf8')) : body);
          } catch (e) {
            reject(new Error(`GET ${path}: ${(e as Error).message}`));
          }
        });
      })
      .on('error', reject);
  });
}

async function readAll(path: string): Promise<void> {
  let cont: string | undefined;
  do {
    const doc = (await get(cont ? `${path}${path.includes('?') ? '&' : '?'}continue=${encodeURIComponent(cont)}` : path)) as {
      metadata?: { continue?: string };
    };
    cont = doc.metadata?.continue || undefined;
  } while (cont);
}

let next = 0;
const worker = async (): Promise<void> => {
  while (next < paths.length) await readAll(paths[next++]!);
};
try {
  await Promise.all(Array.from({ length: 4 }, worker));
  process.stdout.write(`${JSON.stringify({ requests, bytes })}\n`);
} catch (e) {
  process.stderr.write(`live-client: ${(e as Error).message}\n`);
  process.exitCode = 1;
} finally {
  agent.destroy();
}
