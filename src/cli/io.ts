/** Where a command writes: one line per call. Tests pass arrays; the bin passes stdout and stderr. */
export interface CommandIO {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Resolves when `signal` aborts (Ctrl-C in the bin). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * The one line to print for an error of `node:util`'s `parseArgs`. Node's own message quotes a
 * stray positional argument, and that may well be a key typed without `--key`: never echo it.
 */
export function argumentError(error: unknown, command: string): string {
  if ((error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `${command} takes no positional arguments (the argument is not shown: it may be a key)`;
  }
  // Read `message` rather than test `instanceof Error`: the error may come from another realm.
  const message = (error as { message?: unknown } | undefined)?.message;
  return (typeof message === 'string' ? message : String(error)).split('\n')[0] ?? 'bad arguments';
}
