/**
 * Reading a file the user names (`--config`, `--waivers`, `--baseline`, the reports of
 * `render` and `diff`) with a size cap: at most the cap plus one byte is read, so a huge file,
 * `/dev/zero` or a pipe that never ends cannot exhaust memory; and the files of `--pki-dir` and
 * `--manifests`, regular files only.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { formatBytes, MiB } from './limits.js';
import { ToolError, type ErrorCode } from './contract/errors.js';

/** Bytes read at a time. */
const CHUNK = MiB;

/** The file holds more than the cap allows. */
export class FileTooLargeError extends ToolError {
  override name = 'FileTooLargeError';
  readonly errorCode: ErrorCode = 'KP_FILE_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`larger than ${formatBytes(maxBytes)}`);
  }
}

/** The path is not a regular file (a FIFO, a socket, a device, a folder). */
export class NotRegularFileError extends ToolError {
  override name = 'NotRegularFileError';
  readonly errorCode: ErrorCode = 'KP_NOT_REGULAR_FILE';
  constructor() {
    super('not a regular file (a FIFO, socket or device is never read)');
  }
}

/**
 * A file given on the command line or found below a folder given there (`--pki-dir`,
 * `--manifests`), symbolic links followed: only a regular file of at most `maxBytes` is read,
 * so a FIFO cannot hang the scan and `/dev/zero` cannot exhaust memory. Throws
 * `NotRegularFileError`, `FileTooLargeError`, or the file system's error (with its `code`).
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  const st = await stat(path);
  if (!st.isFile()) throw new NotRegularFileError();
  if (st.size > maxBytes) throw new FileTooLargeError(maxBytes);
  return readFile(path);
}

/**
 * The file's text (UTF-8). Throws `FileTooLargeError` when it holds more than `maxBytes`, and
 * the file system's error (with its `code`, e.g. `ENOENT`, `EISDIR`) when it cannot be read.
 */
export async function readTextCapped(file: string, maxBytes: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    // One buffer, sized to a regular file (one byte more, to see it grow past the cap) and
    // doubled when that is not enough: a large report is not held twice while being read.
    const st = await handle.stat();
    let buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, st.isFile() && st.size > 0 ? st.size + 1 : CHUNK));
    let size = 0;
    for (;;) {
      if (size === buf.length) {
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buf.length * 2));
        buf.copy(grown, 0, 0, size);
        buf = grown;
      }
      const { bytesRead } = await handle.read(buf, size, Math.min(CHUNK, buf.length - size), null);
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size > maxBytes) throw new FileTooLargeError(maxBytes);
    }
    return buf.toString('utf8', 0, size);
  } finally {
    await handle.close();
  }
}
