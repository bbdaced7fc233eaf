/**
 * `runPool`: the live source's lists and file fetches, a few at a time; the first failure
 * stops what has not started and is rethrown once the running tasks finish.
 */
import { describe, expect, it } from 'vitest';
import { runPool } from '../../src/sources/live/pool.js';

/** A task that records when it starts and ends, and settles when `release(i)` is called. */
function tasks(count: number) {
  const log: string[] = [];
  const release = new Map<number, (fail: boolean) => void>();
  const list = Array.from({ length: count }, (_, i) => async (): Promise<void> => {
    log.push(`start ${i}`);
    const fail = await new Promise<boolean>((resolve) => release.set(i, resolve));
    log.push(`end ${i}`);
    if (fail) throw new Error(`task ${i} failed`);
  });
  return { log, release, list };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('runPool', () => {
  it('runs at most n at a time, each as a running one ends, in order', async () => {
    const t = tasks(4);
    const done = runPool(t.list, 2);
    await tick();
    expect(t.log).toEqual(['start 0', 'start 1']);
    t.release.get(1)!(false);
    await tick();
    expect(t.log).toEqual(['start 0', 'start 1', 'end 1', 'start 2']);
    for (const i of [0, 2]) t.release.get(i)!(false);
    await tick();
    t.release.get(3)!(false);
    await done;
    expect(t.log.filter((l) => l.startsWith('start'))).toEqual(['start 0', 'start 1', 'start 2', 'start 3']);
  });

  it('after a failure starts nothing more, lets the running task finish, then rethrows the first failure', async () => {
    const t = tasks(5);
    const done = runPool(t.list, 2);
    const settled = done.then(
      () => 'resolved',
      (e: unknown) => (e as Error).message,
    );
    await tick();
    t.release.get(0)!(true);
    await tick();
    // Task 1 still runs; tasks 2–4 never start.
    expect(t.log).toEqual(['start 0', 'start 1', 'end 0']);
    t.release.get(1)!(true);
    expect(await settled).toBe('task 0 failed');
    expect(t.log).toEqual(['start 0', 'start 1', 'end 0', 'end 1']);
  });

  it('resolves at once with no task', async () => {
    await expect(runPool([], 4)).resolves.toBeUndefined();
  });
});
