import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KEY_FRAGMENT } from '../errors/redact.js';

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
 * stray positional argument, and that may well be a key typed without `--key`: never echo it. It
 * quotes an unknown option too, which may be a key glued to its flag (`--keySECRET`, the `=`
 * forgotten): that is named by the flag it starts with, or cut to its first few characters.
 * `flags` is the command's option table.
 */
export function argumentError(error: unknown, command: string, flags: ArgOptions = {}): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `${command} takes no positional arguments (the argument is not shown: it may be a key)`;
  }
  // Read `message` rather than test `instanceof Error`: the error may come from another realm.
  const message = (error as { message?: unknown } | undefined)?.message;
  const line = (typeof message === 'string' ? message : String(error)).split('\n')[0] ?? 'bad arguments';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return unknownOption(/'(.*)'/.exec(line)?.[1] ?? '', flags);
  return line;
}

/** Characters of an unknown option's name shown after its dashes: fewer than a key fragment. */
const SHOWN_OPTION_CHARACTERS = KEY_FRAGMENT - 1;

/** What to say of an unknown option, never more than 7 characters of what follows its dashes. */
function unknownOption(option: string, flags: ArgOptions): string {
  // The longest flag it starts with: `--view-port8080` is `--view-port`'s, not `--view`'s.
  const glued = Object.keys(flags)
    .filter((flag) => option.startsWith(`--${flag}`))
    .sort((a, b) => b.length - a.length)[0];
  if (glued !== undefined) {
    const how =
      flags[glued]?.type === 'string'
        ? `; write --${glued}=VALUE or --${glued} VALUE`
        : `; --${glued} takes no value`;
    return `unknown option starting with --${glued} (the rest is not shown: it may be a key${how})`;
  }
  const name = option.replace(/^-+/, '');
  if (name.length <= SHOWN_OPTION_CHARACTERS) return `Unknown option '${option}'`;
  const dashes = option.slice(0, option.length - name.length);
  return `Unknown option '${dashes}${name.slice(0, SHOWN_OPTION_CHARACTERS)}…' (cut: it may hold a key)`;
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
    io.err(`utilbot-gateway ${command}: ${argumentError(error, command, options)} (see --help)`);
    return undefined;
  }
}
