import { parseArgs, type ParseArgsConfig } from 'node:util';

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

/** A command's option table for {@link readArgs}: `parseArgs`'s `options`, flag name to type. */
export type ArgOptions = NonNullable<ParseArgsConfig['options']>;

/** The values {@link readArgs} reads for the option table `O`: typed as `parseArgs` types them. */
export type ArgValues<O extends ArgOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; strict: true; allowPositionals: false; options: O }>
>['values'];

/**
 * Parses `command`'s flags `argv` with `node:util`'s `parseArgs`, strictly and with no positional
 * arguments. On a bad command line it writes the one line `utilbot-gateway <command>: <why> (see
 * --help)` to `io.err` (see {@link argumentError}) and returns `undefined`: the command then exits 2.
 */
export function readArgs<O extends ArgOptions>(
  command: string,
  argv: string[],
  options: O,
  io: CommandIO,
): ArgValues<O> | undefined {
  try {
    return parseArgs<{ args: string[]; strict: true; allowPositionals: false; options: O }>({
      args: argv,
      strict: true,
      allowPositionals: false,
      options,
    }).values;
  } catch (error) {
    io.err(`utilbot-gateway ${command}: ${argumentError(error, command)} (see --help)`);
    return undefined;
  }
}
