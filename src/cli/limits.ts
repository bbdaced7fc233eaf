/**
 * The `--max-*` flags of `scan` and `collect` (README, "Limits"): each defaults to its
 * `KUBE_PREFLIGHT_MAX_*` environment variable, else to `DEFAULT_LIMITS`, and is applied
 * before the command runs.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_LIMITS, formatBytes, LIMIT_FLAGS, parseBytes, setLimits, type Limits } from '../limits.js';

const DESCRIPTIONS: Record<keyof Limits, string> = {
  maxFileBytes: 'largest dump file read (bytes, or 512Mi, 2Gi…); a larger one is not read and its inputs are failed',
  maxDumpBytes: 'most a .tar.gz dump may expand to in all (bytes, or 8Gi…); past it the scan stops (exit 2)',
  maxDumpFiles: 'most files in a dump folder or entries in a .tar.gz; past it the scan stops (exit 2)',
  maxObjectBytes: 'largest object of a streamed JSON dump file (above 64 MiB); a larger one fails its file',
  maxHelmReleaseBytes: 'largest decompressed Helm release payload read (bytes, or 128Mi…); a larger release is not assessed',
  maxResponseBytes: 'largest API server response body read (bytes, or 1Gi…); a larger one fails that read',
};

function parseSize(value: string): number {
  const n = parseBytes(value);
  if (n === undefined) throw new InvalidArgumentError('expected a size in bytes above zero, such as 1073741824, 1Gi or 512Mi');
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number above zero');
  return n;
}

/** Adds the limit flags to a command, and sets the limits from them before it runs. */
export function addLimitFlags(cmd: Command): Command {
  for (const key of Object.keys(LIMIT_FLAGS) as Array<keyof Limits>) {
    const { flag, env } = LIMIT_FLAGS[key];
    const count = key === 'maxDumpFiles';
    const d = DEFAULT_LIMITS[key];
    cmd.addOption(
      new Option(`${flag} <${count ? 'n' : 'size'}>`, DESCRIPTIONS[key])
        .env(env)
        .argParser(count ? parseCount : parseSize)
        .default(d, count ? String(d) : formatBytes(d)),
    );
  }
  return cmd.hook('preAction', (c) => {
    const o = c.opts<Limits>();
    setLimits(Object.fromEntries(Object.keys(LIMIT_FLAGS).map((k) => [k, o[k as keyof Limits]])));
  });
}
