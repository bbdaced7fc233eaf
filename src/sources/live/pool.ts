/**
 * The live source's requests run a few at a time (`LIST_CONCURRENCY` lists and file fetches).
 */
import pLimit from 'p-limit';

/**
 * Runs the tasks, at most `n` at a time (p-limit). When one rejects, no further task starts
 * (the queue is cleared); the running ones finish, then the first rejection is rethrown.
 */
export async function runPool(tasks: Array<() => Promise<void>>, n: number): Promise<void> {
  const limit = pLimit({ concurrency: Math.max(1, n), rejectOnClear: true });
  let failure: { error: unknown } | undefined;
  const run = (task: () => Promise<void>) => async (): Promise<void> => {
    try {
      await task();
    } catch (error) {
      failure ??= { error };
      limit.clearQueue();
    }
  };
  await Promise.allSettled(tasks.map((t) => limit(run(t))));
  if (failure) throw failure.error;
}
