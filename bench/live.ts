/**
 * The live section of `npm run bench`: a dump served as a Kubernetes API by the tests' loopback
 * server (`test/support/apiserver.ts`: HTTPS on 127.0.0.1, bearer token, `limit`/`continue`
 * paging, gzip above 128 KiB), scanned live, against the floor `bench/live-client.ts` (the
 * same GET requests and pages, 4 at a time, parsed and dropped). The server runs in a process
 * of its own (`bench/live-server.ts`): the same for both, and its CPU counted in neither.
 *
 * Also measured: the time from spawning a process to its first request reaching the server
 * (node start-up, module loading, kubeconfig), for the scan and for the client.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import type { ServerCommand, ServerReply } from './live-server.js';
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

/** The server process: started, asked, and stopped (`bench/live-server.ts`). */
class ServerProcess {
  private waiting: Array<{ resolve: (m: ServerReply) => void; reject: (e: Error) => void }> = [];
  private exited: string | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: ServerReply) => this.waiting.shift()?.resolve(m));
    child.on('exit', (code) => {
      this.exited = `bench: the live section's API server exited (code ${code})`;
      for (const w of this.waiting.splice(0)) w.reject(new Error(this.exited));
    });
  }

  /** Forks the server for `dumpDir`, writing its kubeconfig to `kubeconfig`; resolves when it serves. */
  static async start(
    dumpDir: string,
    kubeconfig: string,
  ): Promise<{ server: ServerProcess; ready: Extract<ServerReply, { type: 'ready' }> }> {
    const child = fork(join(PACKAGE_ROOT, 'dist', 'bench', 'live-server.js'), [dumpDir, kubeconfig], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const server = new ServerProcess(child);
    const ready = await server.next();
    if (ready.type !== 'ready') throw new Error(`bench: the live section's API server sent ${ready.type} first`);
    return { server, ready };
  }

  /** Sends `command` and resolves with the reply; rejects when the server has exited. */
  ask(command: ServerCommand): Promise<ServerReply> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    const reply = this.next();
    this.child.send(command);
    return reply;
  }

  private next(): Promise<ServerReply> {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'close' } satisfies ServerCommand);
    await gone;
  }
}

/**
 * Serves `dumpDir` from a server process, then runs `pairs` × (live scan, client); the client
 * replays the GETs the first scan sent (without their `continue` pages, which it follows itself).
 */
export async function liveSection(dumpDir: string, work: string, cli: string, pairs: number, timeoutMs: number): Promise<LiveResult> {
  const kubeconfig = join(work, 'kubeconfig.yaml');
  const { server, ready } = await ServerProcess.start(dumpDir, kubeconfig);
  try {
    const caFile = join(work, 'ca.pem');
    await writeFile(caFile, ready.caPem);
    const requests = async (): Promise<Extract<ServerReply, { type: 'requests' }>> => {
      const r = await server.ask({ type: 'requests' });
      if (r.type !== 'requests') throw new Error(`bench: the API server answered ${r.type} to requests`);
      return r;
    };
    const timed = async (run: (onSpawn: (at: number) => void) => Promise<Measure>): Promise<{ m: Measure; firstRequestMs: number }> => {
      await server.ask({ type: 'reset' });
      let spawnedAt = 0;
      const m = await run((at) => (spawnedAt = performance.timeOrigin + at));
      const { firstAt } = await requests();
      return { m, firstRequestMs: firstAt === null ? NaN : Math.round(firstAt - spawnedAt) };
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
        const all = (await requests()).requests;
        const gets = all.filter((r) => r.method === 'GET');
        scanGets = gets.length;
        scanReviews = all.length - gets.length;
        await writeFile(
          pathsFile,
          JSON.stringify(gets.filter((r) => !new URL(r.url, 'https://x').searchParams.has('continue')).map((r) => r.url)),
        );
      }
      clients.push(
        await timed((onSpawn) =>
          measure([join(PACKAGE_ROOT, 'dist', 'bench', 'live-client.js'), ready.url, caFile, pathsFile], {
            timeoutMs,
            onSpawn,
            env: { KP_BENCH_TOKEN: ready.token },
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
