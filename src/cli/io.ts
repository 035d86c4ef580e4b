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
