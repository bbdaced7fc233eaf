/**
 * How `npm run bench` measures a process: spawned with `bench/probe.js` preloaded, it reports
 * its peak resident memory and CPU time at exit; wall time is taken around the spawn. A floor
 * and the case measured against it run as pairs, alternating (floor, case, floor, case…), so
 * that the load of a shared machine weighs on both alike; the figures are the medians.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

export interface Measure {
  /** Wall time from spawn to exit, milliseconds. */
  wallMs: number;
  /** User + system CPU time of the process, milliseconds (0 when it did not exit by itself). */
  cpuMs: number;
  /** Peak resident set size, bytes (0 when it did not exit by itself). */
  maxRssBytes: number;
  /** Exit code; null when killed (see `timedOut`). */
  code: number | null;
  timedOut: boolean;
  /** Its standard output (the floor prints what it read). */
  stdout: string;
  /** The last lines of its standard error, for a failed run. */
  stderrTail: string;
}

export interface MeasureOptions {
  /** Killed (SIGKILL) after this long, milliseconds. */
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Called with `performance.now()` just before the spawn. */
  onSpawn?: (at: number) => void;
}

/** Runs `node <args>` with the probe preloaded and measures it. */
export async function measure(args: string[], o: MeasureOptions): Promise<Measure> {
  const out = join(tmpdir(), `kp-bench-probe-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  const start = performance.now();
  o.onSpawn?.(start);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', join(PACKAGE_ROOT, 'dist', 'bench', 'probe.js'), ...args], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, ...o.env, KP_BENCH_OUT: out, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-65_536)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4096)));
    child.on('error', reject);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  const wallMs = Math.round(performance.now() - start);
  const probe = await readFile(out, 'utf8').then(
    (t) => JSON.parse(t) as { maxRssBytes: number; cpuMs: number },
    () => ({ maxRssBytes: 0, cpuMs: 0 }),
  );
  await rm(out, { force: true });
  return { wallMs, code, timedOut, stdout, stderrTail: stderr.trim().split('\n').slice(-3).join(' | '), ...probe };
}

/** Medians of the runs of one side of a pair; `maxRssBytes` is the largest seen. */
export interface Summary {
  wallMs: number;
  cpuMs: number;
  maxRssBytes: number;
  runs: number;
  /** Why a run did not finish as expected (exit code, timeout), if one did not. */
  failure?: string;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
};

/**
 * Summarizes runs. A run failed when it timed out or exited with another code than `okCodes`
 * (`SCAN_EXIT_CODES` for a scan).
 */
export function summarize(runs: Measure[], okCodes = [0]): Summary {
  const bad = runs.find((r) => r.timedOut || r.code === null || !okCodes.includes(r.code));
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    maxRssBytes: Math.max(...runs.map((r) => r.maxRssBytes)),
    runs: runs.length,
    ...(bad
      ? { failure: bad.timedOut ? `killed after ${Math.round(bad.wallMs / 1000)} s (timeout)` : `exit ${bad.code}: ${bad.stderrTail}` }
      : {}),
  };
}

export interface Paired {
  floor: Summary;
  case: Summary;
  /** case / floor, wall time (median against median). */
  wallRatio: number;
  /** case / floor, CPU time. */
  cpuRatio: number;
  /** The floor's first stdout (what it read). */
  floorStdout: string;
}

/** Exit codes of a scan that ran to its report: 0 GO, 1 NO-GO, 3 INCOMPLETE (2 is an error). */
export const SCAN_EXIT_CODES = [0, 1, 3];

/** Runs `pairs` × (floor, case), alternating, and compares their medians. */
export async function paired(
  floor: () => Promise<Measure>,
  run: () => Promise<Measure>,
  pairs: number,
  caseOk = SCAN_EXIT_CODES,
): Promise<Paired> {
  const f: Measure[] = [];
  const c: Measure[] = [];
  for (let i = 0; i < pairs; i++) {
    f.push(await floor());
    c.push(await run());
  }
  const fs = summarize(f);
  const cs = summarize(c, caseOk);
  return {
    floor: fs,
    case: cs,
    wallRatio: cs.wallMs / Math.max(1, fs.wallMs),
    cpuRatio: cs.cpuMs / Math.max(1, fs.cpuMs),
    floorStdout: f[0]!.stdout,
  };
}
