/**
 * Error classes every layer throws and the CLI maps to exit codes. Their message is one line,
 * naming the file (and line or entry) or the request; it is printed without a stack trace.
 *
 * Every error the tool throws on purpose is a `ToolError` with a stable `errorCode` (`KP_…`,
 * listed in docs/errors.md); anything else that reaches a boundary (a `TypeError`, a `RangeError`…) is
 * a bug, reported as an `InternalError` (`KP_INTERNAL`) where it happened.
 */

/** The stable codes of the tool's errors (docs/errors.md); never reused for another meaning. */
export type ErrorCode =
  | 'KP_FATAL'
  | 'KP_CONFIG'
  | 'KP_CHECK'
  | 'KP_INPUT'
  | 'KP_KUBECONFIG'
  | 'KP_PROMETHEUS_TEXT'
  | 'KP_CRON'
  | 'KP_CERTIFICATE'
  | 'KP_SELECTOR'
  | 'KP_FILE_TOO_LARGE'
  | 'KP_NOT_REGULAR_FILE'
  | 'KP_READ_ONLY'
  | 'KP_TRANSPORT'
  | 'KP_INTERNAL';

/**
 * An error the tool throws on purpose (bad input, usage, configuration), with its stable code.
 * The property is `errorCode`, not `code`: callers read `code` as Node's system error code
 * (`ENOENT`, `EACCES`), often as `e.code ?? e.message`, and `TransportError.code` is one.
 */
export abstract class ToolError extends Error {
  abstract readonly errorCode: ErrorCode;
}

/**
 * Errors that end a command with exit code 2 (bad usage, unreadable kubeconfig or dump,
 * cluster unreachable).
 */
export class FatalError extends ToolError {
  override name = 'FatalError';
  readonly errorCode: ErrorCode = 'KP_FATAL';
}

/** A configuration file (`--config`, `--waivers`) that is invalid; names the file and entry. */
export class ConfigError extends FatalError {
  override name = 'ConfigError';
  override readonly errorCode: ErrorCode = 'KP_CONFIG';
}

/**
 * Thrown by a check (or the domain logic it calls) for a configuration problem, e.g. a target
 * version older than the cluster. The check's status is then `error` with this message.
 */
export class CheckError extends ToolError {
  override name = 'CheckError';
  readonly errorCode: ErrorCode = 'KP_CHECK';
}

/**
 * A bug: an error that is not a `ToolError`, caught where it happened (a check's `run`, an
 * input's normalizer). `where` names the part that crashed (`the check`, `the normalizer of
 * input nodes`); the message is `internal error (KP_INTERNAL) in <where>: <first line of the
 * cause's message>`, and the cause is kept in `cause` for `--debug`.
 */
export class InternalError extends ToolError {
  override name = 'InternalError';
  readonly errorCode: ErrorCode = 'KP_INTERNAL';
  constructor(where: string, cause: unknown) {
    super(`internal error (KP_INTERNAL) in ${where}: ${firstLine(cause)}`, { cause });
  }
}

/** True when `e` is a bug rather than an error the tool throws on purpose (not a `ToolError`). */
export function isBug(e: unknown): boolean {
  return !(e instanceof ToolError);
}

/** The first line of an error's message (or of the thrown value as a string). */
function firstLine(e: unknown): string {
  const message = (e as Partial<Error> | null | undefined)?.message;
  return (typeof message === 'string' ? message : String(e)).split('\n')[0]!;
}
