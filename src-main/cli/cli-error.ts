/** An error the user caused and can fix: printed as one line, exit code 1, no stack. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Parses a port option, saying what is wrong with a bad one. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--port must be a whole number from 0 to 65535 (0 picks a free port); got "${value}".`);
  }
  return port;
}
