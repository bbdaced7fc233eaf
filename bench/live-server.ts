/**
 * The API server of the bench's live section, in a process of its own (`bench/live.ts` forks
 * it), so that serving a large dump (JSON encoding, gzip) does not compete with the scan or
 * the client it serves inside one process: both are measured against the same independent
 * server, the tests' loopback server (`test/support/apiserver.ts`).
 *
 * Usage (forked with an IPC channel): `node dist/bench/live-server.js <dump> <kubeconfig.yaml>`.
 * Loads the dump, writes the kubeconfig, then sends `{ type: 'ready', url, token, caPem }`.
 * Answers the parent's messages:
 * - `{ type: 'reset' }`: forgets the requests seen, replies `{ type: 'reset' }`;
 * - `{ type: 'requests' }`: replies `{ type: 'requests', requests, firstAt }`: the requests
 *   since the last reset (method and URL) and when the first one arrived
 *   (`performance.timeOrigin + performance.now()`, milliseconds since the epoch, comparable
 *   across processes; null when none arrived);
 * - `{ type: 'close' }`: stops serving and exits.
 * Exits 1 with a one-line message on stderr when the dump cannot be served.
 */
import { TestApiServer } from '../test/support/apiserver.js';

/** What the parent sends. */
export type ServerCommand = { type: 'reset' } | { type: 'requests' } | { type: 'close' };

/** What the server process sends. */
export type ServerReply =
  | { type: 'ready'; url: string; token: string; caPem: string }
  | { type: 'reset' }
  | { type: 'requests'; requests: Array<{ method: string; url: string }>; firstAt: number | null };

const [dumpDir, kubeconfigFile] = process.argv.slice(2) as [string, string];
const reply = (m: ServerReply): void => {
  process.send?.(m);
};

try {
  const server = await TestApiServer.start(dumpDir);
  server.writeKubeconfig(kubeconfigFile);
  let firstAt: number | null = null;
  const push = server.requests.push.bind(server.requests);
  server.requests.push = (...items) => {
    firstAt ??= performance.timeOrigin + performance.now();
    return push(...items);
  };
  process.on('message', (m: ServerCommand) => {
    if (m.type === 'reset') {
      server.reset();
      firstAt = null;
      reply({ type: 'reset' });
    } else if (m.type === 'requests') {
      reply({ type: 'requests', requests: server.requests.map((r) => ({ method: r.method, url: r.url })), firstAt });
    } else {
      void server.close().then(() => process.disconnect());
    }
  });
  reply({ type: 'ready', url: server.url, token: server.token, caPem: server.caPem });
} catch (e) {
  process.stderr.write(`live-server: cannot serve ${dumpDir}: ${(e as Error).message.split('\n')[0]}\n`);
  process.exit(1);
}
