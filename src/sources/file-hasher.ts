/**
 * SHA-256 of files computed on a worker thread, so that hashing a dump overlaps its parse on
 * the main thread instead of adding to it (`createHash` and WebCrypto's `digest` both spend
 * their time on the calling thread in Node 20).
 */
import { Worker } from 'node:worker_threads';

/**
 * The worker: reads the files it is given (a list per message), one at a time in the order
 * given, and answers the SHA-256 of each in hex, or the error code.
 * Inline (CommonJS, `eval`) so that it runs the same from `dist/` and from the TypeScript
 * sources under test.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const queue = [];
let busy = false;
function next() {
  if (busy || queue.length === 0) return;
  busy = true;
  const { id, path } = queue.shift();
  const h = createHash('sha256');
  const done = (answer) => {
    parentPort.postMessage(answer);
    busy = false;
    next();
  };
  createReadStream(path, { highWaterMark: 1 << 20 })
    .on('data', (d) => h.update(d))
    .on('error', (e) => done({ id, error: e.code || 'error' }))
    .on('end', () => done({ id, hex: h.digest('hex') }));
}
parentPort.on('message', (m) => {
  for (const file of m) queue.push(file);
  next();
});
`;

interface Answer {
  id: number;
  hex?: string;
  error?: string;
}

/** Hashes files on one worker thread, started on the first request; it never keeps the process alive. */
export class FileHasher {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve(hex: string): void; reject(e: Error): void }>();

  /**
   * SHA-256 (hex) of the file at `path` (absolute). Rejects with an `Error` naming the error
   * code when the file cannot be read, or when the worker stopped.
   */
  hash(path: string): Promise<string> {
    return this.hashMany([path])[0]!;
  }

  /**
   * `hash` of each of `paths`, asked in one message, hashed in the order given. (A message
   * per file of the 5k bench dump took 0.2–0.4 s of `postMessage` on a busy machine.)
   */
  hashMany(paths: string[]): Array<Promise<string>> {
    if (paths.length === 0) return [];
    const worker = (this.worker ??= this.start());
    if (this.waiting.size === 0) worker.ref();
    const files = paths.map((path) => ({ id: this.nextId++, path }));
    const promises = files.map(({ id }) => new Promise<string>((resolve, reject) => this.waiting.set(id, { resolve, reject })));
    worker.postMessage(files);
    return promises;
  }

  /** Stops the worker; pending requests reject. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private start(): Worker {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.on('message', (a: Answer) => {
      const waiter = this.waiting.get(a.id);
      this.waiting.delete(a.id);
      if (this.waiting.size === 0) w.unref();
      if (a.hex !== undefined) waiter?.resolve(a.hex);
      else waiter?.reject(new Error(`cannot read the file to hash it (${a.error})`));
    });
    const fail = (why: string): void => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(why));
      this.waiting.clear();
      if (this.worker === w) this.worker = undefined;
    };
    w.on('error', (e) => fail(`the hashing thread failed (${e.name})`));
    w.on('exit', () => fail('the hashing thread stopped'));
    return w;
  }
}
