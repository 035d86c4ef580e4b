import {
  createLocalGateway,
  localGatewayDefaults,
  type LocalGateway,
  type LocalGatewayOptions,
} from '../testing/index.js';
import { MAX_TIMER } from '../testing/defaults.js';
import { aborted, readArgs, type ArgOptions, type ArgValues, type CommandIO } from './io.js';

const usage = `usage: utilbot-gateway serve [--port 8080] [--host 127.0.0.1] [--heartbeat-interval 60000]
                            [--key KEY]... [--compression-form per-message|stream]
                            [--hello-field hearbeat|heartbeat] [--guild-count-interval 30000]
                            [--allow-origin ORIGIN]...

Runs a local Utilbot gateway (protocol version 1) until Ctrl-C. Prints where it listens, then one
line per connection event. Keys are never printed.

  --port N                  port to listen on; 0 picks a free one (default ${localGatewayDefaults.port})
  --host ADDRESS            address to listen on (default ${localGatewayDefaults.host})
  --heartbeat-interval MS   heartbeat interval sent in Hello (default ${localGatewayDefaults.heartbeatInterval})
  --key KEY                 an accepted auth key; repeat for more (default: the development key of
                            docs/testing.md)
  --compression-form FORM   zlib form for clients asking compression=zlib (default ${localGatewayDefaults.compressionForm})
  --hello-field NAME        spelling of Hello's interval field (default ${localGatewayDefaults.helloField})
  --guild-count-interval MS period of the GLOBAL_GUILD_COUNT broadcast; 0 = only on change
                            (default ${localGatewayDefaults.guildCountInterval})
  --allow-origin ORIGIN     a browser page origin that may connect besides pages on this machine
                            (http(s)://127.0.0.1, localhost, [::1]); repeat for more; '*' for any
  -h, --help                this text`;

/** The flags of `serve`. */
const serveFlags = {
  port: { type: 'string' },
  host: { type: 'string' },
  'heartbeat-interval': { type: 'string' },
  key: { type: 'string', multiple: true },
  'compression-form': { type: 'string' },
  'hello-field': { type: 'string' },
  'guild-count-interval': { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} satisfies ArgOptions;

/**
 * What `serve` remembers: nothing it does not need. Nobody reads `connection.frames` or calls
 * `nextConnection()` / `nextFrame()` on a gateway run from the command line, and a client sending
 * 300 frames of 1 MB would otherwise grow the process by as much, for good.
 */
const serveMemory = {
  frameHistory: 0,
  connectionHistory: 0,
  unclaimedLimit: 0,
} satisfies LocalGatewayOptions;

/** A bad command line: one line for the user, exit code 2. */
class UsageError extends Error {}

/**
 * `utilbot-gateway serve`: runs {@link createLocalGateway} until `signal` aborts, then closes it and
 * resolves 0. `argv` is what follows `serve`. Resolves 2 on a bad flag or value, 1 when the gateway
 * cannot start (the port is taken). Without a signal it runs until the process ends. `started` is
 * called with the running gateway, before the listening line: a test's window into it.
 */
export async function runServe(
  argv: string[],
  io: CommandIO,
  signal?: AbortSignal,
  started?: (gateway: LocalGateway) => void,
): Promise<number> {
  const values = readArgs('serve', argv, serveFlags, io);
  if (values === undefined) return 2;
  if (values.help === true) {
    io.out(usage);
    return 0;
  }
  let options: LocalGatewayOptions;
  try {
    options = readFlags(values, io.out);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`utilbot-gateway serve: ${error.message} (see --help)`);
    return 2;
  }

  let gateway;
  try {
    gateway = await createLocalGateway({ ...options, ...serveMemory });
  } catch (error) {
    // A RangeError is an option the gateway refused: still the command line's fault.
    io.err(`utilbot-gateway serve: cannot start: ${(error as Error).message}`);
    return error instanceof RangeError ? 2 : 1;
  }
  started?.(gateway);
  const keys = options.keys === undefined ? 'the development key' : `${options.keys.length} key(s)`;
  io.out(
    `listening on ${gateway.url} (protocol v1, heartbeat ${options.heartbeatInterval ?? localGatewayDefaults.heartbeatInterval} ms, accepting ${keys})`,
  );
  await (signal === undefined ? new Promise<never>(() => undefined) : aborted(signal));
  await gateway.close();
  io.out('stopped');
  return 0;
}

/** Checks the flag values and turns them into options; throws {@link UsageError} for anything wrong. */
function readFlags(values: ArgValues<typeof serveFlags>, log: (line: string) => void): LocalGatewayOptions {
  const keys = values.key;
  if (keys?.some((key) => key === '') === true) throw new UsageError('--key must not be empty');
  if (values.host === '') throw new UsageError('--host must not be empty');
  const origins = values['allow-origin'];
  if (origins?.some((origin) => origin === '') === true)
    throw new UsageError('--allow-origin must not be empty');
  const form = values['compression-form'];
  if (form !== undefined && form !== 'per-message' && form !== 'stream')
    throw new UsageError(`--compression-form must be per-message or stream, got ${JSON.stringify(form)}`);
  const field = values['hello-field'];
  if (field !== undefined && field !== 'hearbeat' && field !== 'heartbeat')
    throw new UsageError(`--hello-field must be hearbeat or heartbeat, got ${JSON.stringify(field)}`);
  return {
    port: integer('--port', values.port, 0, 65_535),
    host: values.host,
    heartbeatInterval: integer('--heartbeat-interval', values['heartbeat-interval'], 1),
    guildCountInterval: integer('--guild-count-interval', values['guild-count-interval'], 0),
    keys,
    compressionForm: form,
    helloField: field,
    allowedOrigins: origins,
    log,
  };
}

function integer(flag: string, text: string | undefined, min: number, max = MAX_TIMER): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max))
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}
