/**
 * The live section of `npm run bench`: a dump served as a Kubernetes API by the tests' loopback
 * server (`test/support/apiserver.ts`: HTTPS on 127.0.0.1, bearer token, `limit`/`continue`
 * paging, gzip above 128 KiB), scanned live, against the floor `bench/live-client.ts` (the
 * same GET requests and pages, 4 at a time, parsed and dropped). The server runs inside the
 * bench process: it is the same for both, and its CPU is not counted in either figure.
 *
 * Also measured: the time from spawning a process to its first request reaching the server
 * (node start-up, module loading, kubeconfig), for the scan and for the client.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { TestApiServer } from '../test/support/apiserver.js';
import { measure, median, SCAN_EXIT_CODES, summarize, type Measure, type Summary } from './measure.js';

export interface LiveResult {
  scan: Summary & { firstRequestMs: number };
  client: Summary & { firstRequestMs: number };
  wallRatio: number;
  cpuRatio: number;
  /** GET requests of one live scan (pages included), and its SelfSubjectAccessReview POSTs (the client sends none). */
  scanGets: number;
  scanReviews: number;
  /** Requests of one client run, and the bytes it read (decompressed). */
  clientRequests: number;
  clientBytes: number;
}

/**
 * Serves `dumpDir`, then runs `pairs` × (live scan, client); the client replays the GETs the
 * first scan sent (without their `continue` pages, which it follows itself).
 */
export async function liveSection(dumpDir: string, work: string, cli: string, pairs: number, timeoutMs: number): Promise<LiveResult> {
  const server = await TestApiServer.start(dumpDir);
  try {
    const kubeconfig = server.writeKubeconfig(join(work, 'kubeconfig.yaml'));
    const caFile = join(work, 'ca.pem');
    await writeFile(caFile, server.caPem);
    let firstAt: number | undefined;
    const push = server.requests.push.bind(server.requests);
    server.requests.push = (...items) => {
      firstAt ??= performance.now();
      return push(...items);
    };
    const timed = async (run: (onSpawn: (at: number) => void) => Promise<Measure>): Promise<{ m: Measure; firstRequestMs: number }> => {
      server.reset();
      firstAt = undefined;
      let spawnedAt = 0;
      const m = await run((at) => (spawnedAt = at));
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the push hook above sets firstAt during run()
      return { m, firstRequestMs: firstAt === undefined ? NaN : Math.round(firstAt - spawnedAt) };
    };
    const pathsFile = join(work, 'live-paths.json');
    const scans: Array<{ m: Measure; firstRequestMs: number }> = [];
    const clients: Array<{ m: Measure; firstRequestMs: number }> = [];
    let scanGets = 0;
    let scanReviews = 0;
    for (let i = 0; i < pairs; i++) {
      scans.push(
        await timed((onSpawn) =>
          measure(
            [
              cli,
              'scan',
              '--kubeconfig',
              kubeconfig,
              '--now',
              '2026-11-23T07:00:18Z',
              '--format',
              'json',
              '-o',
              join(work, 'live-out'),
              '-q',
            ],
            { timeoutMs, onSpawn },
          ),
        ),
      );
      if (i === 0) {
        const gets = server.requests.filter((r) => r.method === 'GET');
        scanGets = gets.length;
        scanReviews = server.requests.length - gets.length;
        await writeFile(
          pathsFile,
          JSON.stringify(gets.filter((r) => !new URL(r.url, 'https://x').searchParams.has('continue')).map((r) => r.url)),
        );
      }
      clients.push(
        await timed((onSpawn) =>
          measure([join(PACKAGE_ROOT, 'dist', 'bench', 'live-client.js'), server.url, caFile, pathsFile], {
            timeoutMs,
            onSpawn,
            env: { KP_BENCH_TOKEN: server.token },
          }),
        ),
      );
    }
    const s = summarize(
      scans.map((x) => x.m),
      SCAN_EXIT_CODES,
    );
    const c = summarize(clients.map((x) => x.m));
    const out = JSON.parse(clients[0]!.m.stdout || '{}') as { requests?: number; bytes?: number };
    return {
      scan: { ...s, firstRequestMs: median(scans.map((x) => x.firstRequestMs)) },
      client: { ...c, firstRequestMs: median(clients.map((x) => x.firstRequestMs)) },
      wallRatio: s.wallMs / Math.max(1, c.wallMs),
      cpuRatio: s.cpuMs / Math.max(1, c.cpuMs),
      scanGets,
      scanReviews,
      clientRequests: out.requests ?? 0,
      clientBytes: out.bytes ?? 0,
    };
  } finally {
    await server.close();
  }
}
