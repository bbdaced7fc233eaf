/**
 * Reading a file the user names (`--config`, `--waivers`, `--baseline`, the reports of
 * `render` and `diff`) with a size cap: at most the cap plus one byte is read, so a huge file,
 * `/dev/zero` or a pipe that never ends cannot exhaust memory.
 */
import { open } from 'node:fs/promises';

export const MiB = 1024 * 1024;

/** Bytes read at a time. */
const CHUNK = MiB;

/** The file holds more than the cap allows. */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`larger than ${formatSize(maxBytes)}`);
  }
}

/** `1 MiB`, `64 MiB`, `512 KiB`. */
function formatSize(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / 1024} KiB`;
}

/**
 * The file's text (UTF-8). Throws `FileTooLargeError` when it holds more than `maxBytes`, and
 * the file system's error (with its `code`, e.g. `ENOENT`, `EISDIR`) when it cannot be read.
 */
export async function readTextCapped(file: string, maxBytes: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(CHUNK, maxBytes + 1 - size));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      size += bytesRead;
      if (size > maxBytes) throw new FileTooLargeError(maxBytes);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  } finally {
    await handle.close();
  }
}
