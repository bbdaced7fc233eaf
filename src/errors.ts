/**
 * Errors that end a command with exit code 2 (bad usage, unreadable kubeconfig or dump,
 * cluster unreachable). Their message is printed as one line, without a stack trace.
 */
export class FatalError extends Error {
  override name = 'FatalError';
}

/** A configuration file (`--config`, `--waivers`) that is invalid; names the file and entry. */
export class ConfigError extends FatalError {
  override name = 'ConfigError';
}
