/** Exit codes users and CI scripts can rely on. */
export const EXIT = { ok: 0, checksFailed: 1, usage: 2, cancelled: 130 } as const;

/** An error that ends the command with a given exit code; thrown, never process.exit'ed deep inside. */
export class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "ExitError";
  }
}

export const usageError = (message: string): ExitError => new ExitError(EXIT.usage, message);
