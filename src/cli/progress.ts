/**
 * Progress of input collection on stderr: one spinner line naming the inputs being read and
 * their counts (input keys `terminalSafe`: a plugin names its own). Silent when stderr is not a
 * TTY or with `--quiet`; ora (and what it loads) is imported only when the spinner is shown.
 */
import type { Ora } from 'ora';
import type { InputStatus } from '../contract/inputs.js';
import { terminalSafe } from '../render/escape.js';
import type { Progress } from '../sources/source.js';

export async function spinnerProgress(enabled: boolean, title: string): Promise<Progress & { stop(): void }> {
  const nothing = (): void => undefined;
  if (!enabled) return { start: nothing, update: nothing, done: nothing, stop: nothing };
  const active = new Map<string, number>();
  let finished = 0;
  let failed = 0;
  const { default: ora } = await import('ora');
  const spinner: Ora = ora({ text: title, stream: process.stderr }).start();
  const refresh = (): void => {
    const parts = [...active.entries()].slice(0, 4).map(([k, n]) => (n > 0 ? `${terminalSafe(k)} ${n}` : terminalSafe(k)));
    spinner.text = `${title}: ${finished} done${failed ? `, ${failed} unavailable` : ''}${parts.length ? ` · ${parts.join(', ')}` : ''}`;
  };
  return {
    start(key) {
      active.set(key, 0);
      refresh();
    },
    update(key, count) {
      if (active.has(key)) active.set(key, count);
      refresh();
    },
    done(key, status: InputStatus) {
      active.delete(key);
      finished++;
      if (status !== 'ok' && status !== 'absent') failed++;
      refresh();
    },
    stop() {
      spinner.stop();
    },
  };
}
