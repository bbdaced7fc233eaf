/**
 * Error classes every layer throws and the CLI maps to exit codes. Their message is one line,
 * naming the file (and line or entry) or the request; it is printed without a stack trace.
 */

/**
 * Errors that end a command with exit code 2 (bad usage, unreadable kubeconfig or dump,
 * cluster unreachable).
 */
export class FatalError extends Error {
  override name = 'FatalError';
}

/** A configuration file (`--config`, `--waivers`) that is invalid; names the file and entry. */
export class ConfigError extends FatalError {
  override name = 'ConfigError';
}

/**
 * Thrown by a check (or the domain logic it calls) for a configuration problem, e.g. a target
 * version older than the cluster. The check's status is then `error` with this message.
 */
export class CheckError extends Error {
  override name = 'CheckError';
}
