/**
 * Preloaded (`node --import dist/bench/probe.js …`) into a measured process: at exit, writes its
 * peak resident memory (bytes) and CPU time (ms) as JSON to the file named by KP_BENCH_OUT.
 */
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const out = process.env.KP_BENCH_OUT;
  if (!out) return;
  const u = process.resourceUsage();
  writeFileSync(out, JSON.stringify({ maxRssBytes: u.maxRSS * 1024, cpuMs: Math.round((u.userCPUTime + u.systemCPUTime) / 1000) }));
});
