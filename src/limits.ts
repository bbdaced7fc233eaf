/**
 * Resource limits on what a scan reads (README, "Limits"). Hostile or broken inputs — an
 * archive bomb, a Helm release whose payload inflates to gigabytes, an API response without
 * end — stop at a limit with a one-line error naming the file and the flag that raises it,
 * instead of filling the disk or the memory.
 *
 * The defaults are generous for real clusters: a 5,000-node, 150,000-pod cluster gives a
 * `pods.json` of about 410 MB, and about 420 MB of JSON in all (README, "What a scan costs").
 *
 * The limits are process-wide: the CLI sets them once from its flags (`--max-*`), whose
 * defaults come from the `KUBE_PREFLIGHT_MAX_*` environment variables, else `DEFAULT_LIMITS`.
 */

export interface Limits {
  /**
   * Largest file of a dump (folder or archive entry) that is read, in bytes. A larger file
   * is not read (nor extracted): the inputs it could feed are `failed`, the rest is read.
   */
  maxFileBytes: number;
  /**
   * Total size of the files of a `.tar.gz` dump once extracted, in bytes (what is written
   * to the temporary folder). Exceeding it ends the scan (exit 2): an archive bomb.
   */
  maxDumpBytes: number;
  /** Files in a dump folder, or entries in a dump archive. Exceeding it ends the scan (exit 2). */
  maxDumpFiles: number;
  /**
   * One object of a streamed JSON file (above 64 MiB), in bytes of its JSON text. A larger
   * one fails its file, as invalid JSON does. Smaller files are bounded by their size.
   */
  maxObjectBytes: number;
  /**
   * Decompressed size of one Helm release payload (`data.release`), in bytes. A larger one
   * is not read: that release is an unknown of the checks that read Helm releases.
   */
  maxHelmReleaseBytes: number;
  /**
   * Body of one API server response (after gzip), in bytes. A larger one fails that read:
   * the input part it feeds is `failed`.
   */
  maxResponseBytes: number;
}

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/**
 * Largest report file read by `--baseline`, `render`, `diff`, `verify`, `trend` and `fleet` (folders and buckets):
 * 256 MiB, room for the report of a 10,000-node cluster (the 5,000-node synthetic cluster's is 73 MB).
 */
export const REPORT_MAX_BYTES = 256 * MiB;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  // 2.5 × the 410 MB pods.json of a 150,000-pod cluster. JSON files this large are streamed.
  maxFileBytes: 1 * GiB,
  // About 10 × a whole dump of such a cluster; also the most a .tar.gz writes to the temp folder.
  maxDumpBytes: 4 * GiB,
  // collect writes one file per resource and page of 500 objects (300 for 150,000 pods); a
  // folder of one file per object of such a cluster stays under it too.
  maxDumpFiles: 500_000,
  // etcd stores objects of at most 1.5 MiB (the API server takes requests of 3 MiB).
  maxObjectBytes: 16 * MiB,
  // A release record is at most 1 MiB (etcd's object size limit) of gzip'd JSON, which
  // inflates 5–20 times: 64 MiB leaves room and keeps one release's memory bounded.
  maxHelmReleaseBytes: 64 * MiB,
  // Lists are paged by 500 (a page of pods is a few MB), but a server may ignore `limit`
  // (aggregated APIs): 512 MiB holds all 150,000 pods in one response, and is about the
  // longest string V8 can parse anyway.
  maxResponseBytes: 512 * MiB,
});

/** Flag and environment variable of each limit. */
export const LIMIT_FLAGS: Record<keyof Limits, { flag: string; env: string }> = {
  maxFileBytes: { flag: '--max-file-bytes', env: 'KUBE_PREFLIGHT_MAX_FILE_BYTES' },
  maxDumpBytes: { flag: '--max-dump-bytes', env: 'KUBE_PREFLIGHT_MAX_DUMP_BYTES' },
  maxDumpFiles: { flag: '--max-dump-files', env: 'KUBE_PREFLIGHT_MAX_DUMP_FILES' },
  maxObjectBytes: { flag: '--max-object-bytes', env: 'KUBE_PREFLIGHT_MAX_OBJECT_BYTES' },
  maxHelmReleaseBytes: { flag: '--max-helm-release-bytes', env: 'KUBE_PREFLIGHT_MAX_HELM_RELEASE_BYTES' },
  maxResponseBytes: { flag: '--max-response-bytes', env: 'KUBE_PREFLIGHT_MAX_RESPONSE_BYTES' },
};

let current: Readonly<Limits> = DEFAULT_LIMITS;

/** The limits in force. */
export function limits(): Readonly<Limits> {
  return current;
}

/** Sets some limits (the others keep their value); `setLimits(DEFAULT_LIMITS)` restores the defaults. */
export function setLimits(l: Partial<Limits>): void {
  current = Object.freeze({ ...current, ...l });
}

/** The error text of an exceeded limit: what, the limit, and how to raise it. */
export function overLimit(what: string, key: keyof Limits): string {
  const l = current[key];
  const unit = key === 'maxDumpFiles' ? `${l} files` : formatBytes(l);
  return `${what} is above the limit of ${unit} (raise it with ${LIMIT_FLAGS[key].flag} or $${LIMIT_FLAGS[key].env})`;
}

/** `1 GiB`, `512 MiB`, `1536 bytes`: the largest binary unit that divides `n` exactly. */
export function formatBytes(n: number): string {
  for (const [u, size] of [
    ['GiB', GiB],
    ['MiB', MiB],
    ['KiB', KiB],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${u}`;
  }
  return `${n} bytes`;
}

/**
 * Parses a size: a number of bytes, or with a suffix `Ki`, `Mi`, `Gi`, `Ti` (powers of 1024)
 * or `K`, `M`, `G`, `T` (powers of 1000), as Kubernetes quantities; an optional trailing `B`.
 * Returns undefined when it is not one, or not above zero.
 */
export function parseBytes(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]i?)?B?$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toUpperCase();
  const power = unit ? 'KMGT'.indexOf(unit[0]!) + 1 : 0;
  const n = Math.floor(Number(m[1]) * (unit.endsWith('I') ? 1024 : 1000) ** power);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}
