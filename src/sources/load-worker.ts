/**
 * The loading thread of a large dump (started by `DumpSource`, see `dump.ts`): it reads the
 * resources files the main thread hands it, one at a time in the order given, with
 * `readObjects`, and answers each with its normalized objects (`LoadAnswer`, copied across by
 * structured clone). The inputs are the built-in ones (`inputs.ts`), named by key in
 * `workerData`: this thread imports the same modules, never a user's. Raw objects stay here:
 * a Secret is redacted before any input reads it, and only normalized values cross.
 *
 * Messages in: `LoadTask`; out: `{ i, answer }` (`LoadReply`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setLimits, type Limits } from '../limits.js';
import { INPUTS } from './inputs.js';
import { readForParse, readObjects, type LoadAnswer } from './load-file.js';
import { ObjectNormalizer } from './source.js';

/** What the thread is started with: the keys of the built-in resource inputs to read, and the limits in force. */
export interface LoadWorkerData {
  keys: string[];
  limits: Limits;
}

/** One file to read: `i`, its position in the main thread's list; `unread`, why it is not read (`FileError`). */
export interface LoadTask {
  i: number;
  abs: string;
  rel: string;
  hint?: string;
  unread?: string;
}

/** The answer for file `i`. */
export interface LoadReply {
  i: number;
  answer: LoadAnswer;
}

const data = workerData as LoadWorkerData;
setLimits(data.limits);
const normalizer = new ObjectNormalizer(
  data.keys.map((k) => {
    const d = INPUTS.get(k);
    if (d?.type !== 'resources') throw new Error(`input ${k} is not a built-in resource input`);
    return d;
  }),
);

const queue: LoadTask[] = [];
let busy = false;

async function next(): Promise<void> {
  if (busy) return;
  busy = true;
  for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
    const answer = await readObjects(task.abs, task.rel, task.hint, readForParse(task.abs, task.rel, task.unread), normalizer);
    parentPort!.postMessage({ i: task.i, answer } satisfies LoadReply);
  }
  busy = false;
}

parentPort!.on('message', (task: LoadTask) => {
  queue.push(task);
  void next();
});
