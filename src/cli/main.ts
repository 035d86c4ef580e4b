import { runConnect } from './connect.js';
import type { CommandIO } from './io.js';
import { runServe } from './serve.js';

const usage = `usage: utilbot-gateway <command> [flags]

commands:
  start     the client against an embedded local gateway (or --url URL --key KEY)
  connect   the client against a gateway: --url URL --key KEY [--compression zlib] [--json]
  serve     a local gateway: --port 8080 --heartbeat-interval 60000 --key KEY

Run 'utilbot-gateway <command> --help' for a command's flags.`;

/** Runs one command line; resolves to the exit code. */
export async function main(
  argv: string[],
  io: CommandIO,
  signal: AbortSignal,
  env: Record<string, string | undefined> = {},
): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
    case 'connect':
      return runConnect(command, rest, io, signal, env);
    case 'serve':
      return runServe(rest, io, signal);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.out(usage);
      return command === undefined ? 2 : 0;
    default:
      io.err(`utilbot-gateway: unknown command '${command}' (start, connect, serve; see --help)`);
      return 2;
  }
}

/** The bin: process arguments in, exit code out; Ctrl-C (SIGINT) or SIGTERM stops the command cleanly. */
export function run(): void {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  // `on`, not `once`, and never removed: Ctrl-C under `npm start` delivers SIGINT twice (from the
  // terminal and forwarded by npm), and a second one without a listener would kill the process
  // mid-cleanup. A listener does not keep the process alive.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const io: CommandIO = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  main(process.argv.slice(2), io, controller.signal, process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      io.err(`utilbot-gateway: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
