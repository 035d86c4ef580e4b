import { MAX_TIMER_MS } from '../protocol/index.js';
import type { GatewayFaults } from './faults.js';

/** How the interval field of Hello is spelled: the docs' example says `hearbeat`, the prose `heartbeat`. */
export type HelloField = 'hearbeat' | 'heartbeat';

/**
 * How `compression=zlib` is applied to what the gateway sends. The protocol does not say, so both
 * forms a client must read are offered:
 * - `per-message`: each message is a complete zlib stream in its own binary frame;
 * - `stream`: one zlib stream per connection, each message flushed with Z_SYNC_FLUSH so its frame
 *   ends with `00 00 ff ff`.
 */
export type CompressionForm = 'per-message' | 'stream';

/** Options of {@link createLocalGateway}. Every one is optional; see {@link localGatewayDefaults}. */
export interface LocalGatewayOptions {
  /** Port to listen on. Default `0`: a free port chosen by the system (read it from `gateway.port`). */
  readonly port?: number;
  /** Address to listen on. Default `127.0.0.1`: the gateway is for local tests, not for a network. */
  readonly host?: string;
  /**
   * Auth keys an identify may carry. Default `['local-dev-key']`: a well-known development key, so a
   * client pointed at a bare `utilbot-gateway serve` can identify without configuration. It guards
   * nothing; give your own keys when a test checks key handling.
   */
  readonly keys?: readonly string[];
  /** Heartbeat interval sent in Hello, ms. Default `60000`. */
  readonly heartbeatInterval?: number;
  /** Spelling of Hello's interval field. Default `'hearbeat'`, as the docs' example spells it. */
  readonly helloField?: HelloField;
  /** How frames are compressed for a connection that asks `compression=zlib`. Default `'per-message'`. */
  readonly compressionForm?: CompressionForm;
  /**
   * Period of the `GLOBAL_GUILD_COUNT` broadcast to every identified bot, ms; `0` turns the period
   * off (the broadcast on every change stays). Default `30000`.
   */
  readonly guildCountInterval?: number;
  /**
   * How late a heartbeat may be, ms, beyond `heartbeatInterval` after the previous one (or after
   * Hello), before the gateway closes with 4006. Default: `max(heartbeatInterval × 0.1, 1000)`, so a
   * client beating exactly on time survives timer jitter and a busy event loop on either side.
   */
  readonly heartbeatGrace?: number;
  /** Largest frame accepted from a client, bytes; larger ones close the socket with 1009. Default 1 MiB. */
  readonly maxPayload?: number;
  /**
   * How long a close handshake may take before the socket is destroyed, ms: for closes the gateway
   * starts (errors, `connection.close()`, `gateway.close()`). Default `1000`.
   */
  readonly closeTimeout?: number;
  /**
   * How many received frames each connection keeps in `connection.frames`, the newest; older ones
   * are forgotten. `0` keeps none. Default `1000`; `utilbot-gateway serve` uses `0`. `nextFrame()`
   * does not read this list: it hands out frames from a queue of its own (see `unclaimedLimit`).
   */
  readonly frameHistory?: number;
  /**
   * How many closed connections `gateway.connections` keeps, the newest, besides the open ones (it
   * always holds those). Default `1000`; `utilbot-gateway serve` uses `0`.
   */
  readonly connectionHistory?: number;
  /**
   * How many arrivals nobody asked for yet are held for a later ask: connections for
   * `nextConnection()`, and frames per connection for `nextFrame()`. Past it the oldest are dropped
   * and the next ask rejects, saying how many. A waiting ask takes an arrival at once, whatever the
   * limit. Default `1000`; `utilbot-gateway serve` uses `0` (nobody asks).
   */
  readonly unclaimedLimit?: number;
  /**
   * Origins a WebSocket upgrade may come from besides the ones always accepted: none (a process,
   * not a browser page) and a page on this machine (`http(s)://127.0.0.1`, `localhost` or `[::1]`,
   * any port). Any other Origin is refused with HTTP 403 and a log line naming it: browsers let
   * every web site open a WebSocket to any address, so without this check a page the developer
   * merely visits could connect to a local gateway on a known port with the well-known
   * development key. Give exact origins as browsers send them (`'https://dashboard.example'`;
   * `'file://'` or `'null'` for a page loaded from a file, depending on the browser), or `'*'`
   * to accept any. Default `[]`.
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * How many bytes of the gateway's own frames (Hello, ACKs, `GLOBAL_GUILD_COUNT`, error frames)
   * may wait unwritten for one client, which happens when the client does not read. Past it the
   * gateway closes the connection with 1008 instead of holding more: a bot that never reads would
   * otherwise make it keep every broadcast. Frames a test sends itself (`send`, `sendEvent`,
   * `sendRaw`, `sendHostile`) are never held back and do not count. Default 1 MiB.
   */
  readonly maxUnwrittenBytes?: number;
  /** Faults every new connection starts with. Default: none (a well-behaved gateway). */
  readonly faults?: Partial<GatewayFaults>;
  /**
   * Receives one line per connection event. Keys are never part of a line: a key the gateway knows
   * (an accepted one, or one a client identified with) shows as `[key]`. A `log` that throws is
   * ignored. Default: no logging.
   */
  readonly log?: (line: string) => void;
}

/** The defaults of {@link LocalGatewayOptions}, in one place. */
export const localGatewayDefaults = {
  port: 0,
  host: '127.0.0.1',
  keys: ['local-dev-key'] as readonly string[],
  heartbeatInterval: 60_000,
  helloField: 'hearbeat' as HelloField,
  compressionForm: 'per-message' as CompressionForm,
  guildCountInterval: 30_000,
  /** When `heartbeatGrace` is not given: `max(heartbeatInterval × ratio, minimum)`. */
  heartbeatGrace: { ratio: 0.1, minimum: 1_000 },
  maxPayload: 1_048_576,
  closeTimeout: 1_000,
  frameHistory: 1_000,
  connectionHistory: 1_000,
  unclaimedLimit: 1_000,
  allowedOrigins: [] as readonly string[],
  maxUnwrittenBytes: 1_048_576,
  /** A gateway that behaves. */
  faults: {
    ack: true,
    hello: true,
    helloDelay: 0,
    botConnectSuccess: true,
    enforceHeartbeat: true,
  } as Readonly<GatewayFaults>,
  /** How long `nextConnection()` and `nextFrame()` wait before they reject, ms. */
  waitTimeout: 5_000,
} as const;

/** Longest delay a Node timer takes: a longer one fires at once (with a warning). The protocol's own. */
export const MAX_TIMER = MAX_TIMER_MS;

/** Options with every default filled in and every value checked. */
export interface ResolvedGatewayOptions {
  readonly port: number;
  readonly host: string;
  readonly keys: ReadonlySet<string>;
  readonly heartbeatInterval: number;
  readonly helloField: HelloField;
  readonly compressionForm: CompressionForm;
  readonly guildCountInterval: number;
  readonly heartbeatGrace: number;
  readonly maxPayload: number;
  readonly closeTimeout: number;
  readonly frameHistory: number;
  readonly connectionHistory: number;
  readonly unclaimedLimit: number;
  /** Lower-cased. */
  readonly allowedOrigins: ReadonlySet<string>;
  readonly maxUnwrittenBytes: number;
  readonly faults: Readonly<GatewayFaults>;
  readonly log: (line: string) => void;
}

/**
 * Fills in defaults and checks every value, throwing a `RangeError` whose one-line message names the
 * option: a test with a typo in its setup should fail at setup, not later with a strange timeout.
 */
export function resolveGatewayOptions(options: LocalGatewayOptions = {}): ResolvedGatewayOptions {
  const d = localGatewayDefaults;
  const port = options.port ?? d.port;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  const keys = options.keys ?? d.keys;
  if (keys.length === 0 || keys.some((key) => typeof key !== 'string' || key === ''))
    throw new RangeError('keys must be a non-empty list of non-empty strings');
  const heartbeatInterval = positive('heartbeatInterval', options.heartbeatInterval ?? d.heartbeatInterval);
  const helloField = oneOf('helloField', options.helloField ?? d.helloField, ['hearbeat', 'heartbeat']);
  const compressionForm = oneOf('compressionForm', options.compressionForm ?? d.compressionForm, [
    'per-message',
    'stream',
  ]);
  const guildCountInterval = nonNegative(
    'guildCountInterval',
    options.guildCountInterval ?? d.guildCountInterval,
  );
  const heartbeatGrace = nonNegative(
    'heartbeatGrace',
    options.heartbeatGrace ?? Math.max(heartbeatInterval * d.heartbeatGrace.ratio, d.heartbeatGrace.minimum),
  );
  const allowedOrigins = options.allowedOrigins ?? d.allowedOrigins;
  if (allowedOrigins.some((origin) => typeof origin !== 'string' || origin === ''))
    throw new RangeError('allowedOrigins must be a list of non-empty strings');
  // Node fires a timer longer than this at once: a huge interval would mean an instant 4006.
  if (heartbeatInterval + heartbeatGrace > MAX_TIMER || guildCountInterval > MAX_TIMER)
    throw new RangeError(
      `heartbeatInterval + heartbeatGrace and guildCountInterval must not exceed ${MAX_TIMER} ms`,
    );
  return {
    port,
    host: options.host ?? d.host,
    keys: new Set(keys),
    heartbeatInterval,
    helloField,
    compressionForm,
    guildCountInterval,
    heartbeatGrace,
    maxPayload: positive('maxPayload', options.maxPayload ?? d.maxPayload, 'a positive number of bytes'),
    closeTimeout: nonNegative('closeTimeout', options.closeTimeout ?? d.closeTimeout),
    frameHistory: count('frameHistory', options.frameHistory ?? d.frameHistory),
    connectionHistory: count('connectionHistory', options.connectionHistory ?? d.connectionHistory),
    unclaimedLimit: count('unclaimedLimit', options.unclaimedLimit ?? d.unclaimedLimit),
    allowedOrigins: new Set(allowedOrigins.map((origin) => origin.toLowerCase())),
    maxUnwrittenBytes: positive(
      'maxUnwrittenBytes',
      options.maxUnwrittenBytes ?? d.maxUnwrittenBytes,
      'a positive number of bytes',
    ),
    faults: { ...d.faults, ...options.faults },
    log: options.log === undefined ? noLog : safeLog(options.log),
  };
}

function noLog(): void {
  // Logging is opt-in: tests stay quiet unless they ask.
}

/** A log that throws must not take the connection it was reporting on down with it. */
function safeLog(log: (line: string) => void): (line: string) => void {
  return (line) => {
    try {
      log(line);
    } catch {
      // Nowhere left to report it: the log is what failed.
    }
  };
}

function count(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a whole number ≥ 0, got ${String(value)}`);
  return value;
}

function positive(name: string, value: number, what = 'a positive number of ms'): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be ${what}, got ${String(value)}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a number ≥ 0, got ${String(value)}`);
  return value;
}

function oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value))
    throw new RangeError(`${name} must be ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${value}`);
  return value;
}
