import type { InspectionEvent, Observer } from 'xstate';
import { reconnectDefaults, type ReconnectOptions } from '../../machines/backoff.js';
import type { SessionTimeouts } from '../../machines/session.machine.js';
import { GatewayError } from '../errors/gateway-error.js';
import { CLOSE_GRACE_MS } from '../transport/close-socket.js';
import type { GatewayPlugin, PluginLogger } from '../plugins/types.js';
import type { EventCodecs, WithCodecs } from '../plugins/events.js';
import type { WebSocketConstructor } from '../transport/websocket.js';
import { MAX_TIMER_MS, type IdentifyData } from '../protocol/index.js';
// From its file, not the index: the check is the client's, not part of the package's API.
import { eventCodecsProblem, kindOf } from '../protocol/event-registry.js';
import { KEY_FRAGMENT } from '../errors/redact.js';

/**
 * Decides, each time a connection ends and a retry is planned, whether to retry (graphql-ws's
 * `shouldRetry`): `reason` is why the connection ended, `retries` how many retries this one would
 * make (1 for the first). Returning `false` fails the session with that reason. Fatal errors (4000,
 * 4001, 4007) never get here: they fail anyway; the one exception is a 4001 with an identify
 * provider, whose fresh-identify retry is asked about like any other.
 */
export type ShouldRetry = (reason: GatewayError, retries: number) => boolean;

/** Identify data, or a provider called for each identify (so a key can be rotated or fetched). */
export type IdentifyOption = IdentifyData | (() => IdentifyData | Promise<IdentifyData>);

/** Options of `createGatewayClient`. Defaults are in {@link clientDefaults}. */
export interface GatewayClientOptions<C extends EventCodecs = EventCodecs> {
  /** The gateway's URL. Default `wss://gateway.utilbot.co`. */
  url?: string;
  /** Gateway version, sent as `?v=`. Default 1, the only one that exists. */
  version?: number;
  /** `'zlib'` asks the gateway to compress what it sends (both zlib forms are understood). */
  compression?: 'zlib';
  /**
   * `{ type: 'bot', key }`, or a function returning it (sync or async), called for each identify.
   * The key goes into the identify frame and nowhere else.
   */
  identify: IdentifyOption;
  /** Plugins, in the order their handlers run. Names must be unique. */
  plugins?: GatewayPlugin<NoInfer<WithCodecs<C>>>[];
  /**
   * Backoff between connections (see {@link ReconnectOptions}) and `shouldRetry`; `false` turns
   * retries off (`maxRetries: 0`): the first connection that ends fails the session with
   * `RETRIES_EXHAUSTED`, whose message ends with that connection's reason.
   */
  reconnect?: (Partial<ReconnectOptions> & { shouldRetry?: ShouldRetry }) | false;
  /** Handshake timeouts, ms (default 10000 each), and the close grace. */
  timeouts?: Partial<SessionTimeouts> & {
    /**
     * How long a closing socket waits for the peer to answer its close frame before it is
     * destroyed, ms. Default 1000, or half of `connect` when that is shorter. The next socket opens,
     * and `stop()` resolves, only once the old one is closed, so a silent (half-open) peer delays
     * each of them by this much; the connect timeout runs meanwhile, so it must be shorter than
     * `connect`.
     */
    close?: number;
  };
  /** Sends held until ready. Default `{ max: 1000 }`. */
  queue?: { max?: number };
  /** Largest frame in bytes, inflated or not. Default 16 MiB. */
  maxPayload?: number;
  /**
   * Everything reported that does not change state. Default: one line on `console.warn`. Messages are
   * one line and never hold a key; an error's `cause` is what your own code threw (an identify
   * provider, a plugin, a listener), passed on as it is: log it only as freely as you would log it
   * yourself.
   */
  onError?: (error: GatewayError) => void;
  /**
   * Handed to XState's `createActor`, e.g. `@statelyai/inspect`'s `inspector.inspect`. The
   * inspector sees context, input and events; none of them ever holds the key.
   */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /**
   * Allow `ws://` (unencrypted) to a host that is not loopback. Off by default: the identify
   * frame carries the key, so anywhere but 127.0.0.0/8, `localhost` and `::1` needs `wss://`.
   */
  allowInsecure?: boolean;
  /** WebSocket constructor. Default: `ws` in Node (even where Node has a global WebSocket), the runtime's own in the browser build. */
  WebSocket?: WebSocketConstructor;
  /**
   * Extra event codecs, by event name (they override the known ones): they type `send` and the
   * plugins' handlers, and check received and sent data at run time.
   */
  codecs?: C;
  /**
   * Where plugin loggers write, one line per call; every line has the key replaced by `[key]`.
   * Default: `console` (debug lines dropped).
   */
  logger?: PluginLogger;
  /**
   * The debug trace (@discordjs/ws's `Debug`): one line per frame in and out and per status change,
   * at `logger.debug` (`console.debug` without a logger), folded, with the key replaced by `[key]`
   * (the identify frame is never shown), cut to 200 characters. Default `false`: a client without
   * it builds no line per frame.
   */
  debug?: boolean;
}

/** Every default of the client, in one place. */
export const clientDefaults = {
  url: 'wss://gateway.utilbot.co',
  version: 1,
  timeouts: {
    connect: 10000,
    hello: 10000,
    identify: 10000,
    close: CLOSE_GRACE_MS,
  } satisfies Required<NonNullable<GatewayClientOptions['timeouts']>>,
  reconnect: reconnectDefaults,
  queueMax: 1000,
  maxPayload: 16 * 1024 * 1024,
} as const;

/** Options with defaults filled in and checked. */
export interface ResolvedOptions {
  readonly url: string;
  /** The machine's timeouts: `timeouts.close` is not one of them. */
  readonly timeouts: SessionTimeouts;
  /** `timeouts.close`, for the socket actor. */
  readonly closeGrace: number;
  readonly reconnect: ReconnectOptions;
  /** `reconnect.shouldRetry`, kept out of the machine's input. */
  readonly shouldRetry: ShouldRetry | undefined;
  readonly queueMax: number;
  readonly maxPayload: number;
}

/** Every name `GatewayClientOptions` has: `satisfies` makes the compiler refuse a missing or extra one. */
const OPTION_NAMES = Object.keys({
  url: true,
  version: true,
  compression: true,
  identify: true,
  plugins: true,
  reconnect: true,
  timeouts: true,
  queue: true,
  maxPayload: true,
  onError: true,
  inspect: true,
  allowInsecure: true,
  WebSocket: true,
  codecs: true,
  logger: true,
  debug: true,
} satisfies Record<keyof GatewayClientOptions, true>);

/** Fills in defaults and checks every option; a wrong one throws `INVALID_OPTIONS` naming it. */
export function resolveOptions(options: GatewayClientOptions): ResolvedOptions {
  const bad = (what: string): never => {
    throw new GatewayError('INVALID_OPTIONS', what, { fatal: true });
  };
  if (typeof (options as unknown) !== 'object' || (options as unknown) === null)
    bad('options must be an object');
  // A misspelt name (`onerror`) is refused, not ignored: it would leave a default in its place.
  knownKeys('options', options, OPTION_NAMES, bad);
  const identify = options.identify as unknown;
  if (typeof identify !== 'function') {
    const data = identify as Partial<IdentifyData> | null | undefined;
    if (typeof data !== 'object' || data === null)
      bad('identify must be { type, key } or a function returning it');
    else if (typeof data.type !== 'string' || typeof data.key !== 'string' || data.key === '') {
      bad('identify must have a string type and a non-empty string key (the key is not shown)');
    }
  }
  const version = options.version ?? clientDefaults.version;
  if (!Number.isInteger(version) || version < 1)
    bad(`version must be a positive integer, got ${String(version)}`);
  if (options.compression !== undefined && (options.compression as unknown) !== 'zlib') {
    bad(`compression must be 'zlib' or absent, got ${JSON.stringify(options.compression)}`);
  }
  let url: URL;
  try {
    url = new URL(options.url ?? clientDefaults.url);
  } catch {
    return bad(`url is not a URL: ${JSON.stringify(options.url)}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    bad(`url must start with ws:// or wss://, got ${url.protocol}//`);
  if (url.protocol === 'ws:' && options.allowInsecure !== true && !isLoopback(url.hostname)) {
    bad(
      `url must use wss:// for ${url.hostname}: the key would travel unencrypted (set allowInsecure to allow it)`,
    );
  }
  url.searchParams.set('v', String(version));
  if (options.compression === 'zlib') url.searchParams.set('compression', 'zlib');

  // `null` is not "absent": an object option is an object or left out, and a misspelt name in
  // one is refused, not ignored.
  knownKeys('timeouts', options.timeouts, Object.keys(clientDefaults.timeouts), bad);
  const all = { ...clientDefaults.timeouts, ...options.timeouts };
  for (const [name, value] of Object.entries(all)) positive(`timeouts.${name}`, value, bad);
  // A reconnect opens its socket only once the old one is closed, and the connect timeout runs
  // meanwhile: a grace as long as it would time every attempt out behind a silent peer. A grace
  // the user set must be shorter; the default one shrinks to half a short connect timeout.
  if (options.timeouts?.close === undefined) all.close = Math.min(all.close, all.connect / 2);
  else if (all.close >= all.connect)
    bad(
      `timeouts.close (${all.close} ms) must be less than timeouts.connect (${all.connect} ms): a reconnect waits for the old socket to close within it`,
    );
  // The close grace belongs to the socket actor: the machine's input keeps its shape.
  const { close: closeGrace, ...timeouts } = all;
  if (options.reconnect !== false)
    knownKeys(
      'reconnect',
      options.reconnect,
      [...Object.keys(reconnectDefaults), 'shouldRetry'],
      bad,
      'false or ',
    );
  const given = options.reconnect === false ? { maxRetries: 0 } : (options.reconnect ?? {});
  const { shouldRetry, ...backoff } = given as Partial<ReconnectOptions> & { shouldRetry?: unknown };
  if (shouldRetry !== undefined && typeof shouldRetry !== 'function')
    bad('reconnect.shouldRetry must be a function (reason, retries) => boolean');
  // The machine's input is plain data (the inspector shows it): the function stays with the session.
  const reconnect = { ...clientDefaults.reconnect, ...backoff };
  positive('reconnect.minDelay', reconnect.minDelay, bad, true);
  positive('reconnect.maxDelay', reconnect.maxDelay, bad, true);
  if (reconnect.maxDelay < reconnect.minDelay)
    bad('reconnect.maxDelay must not be less than reconnect.minDelay');
  if (!(reconnect.factor >= 1) || !Number.isFinite(reconnect.factor))
    bad('reconnect.factor must be a number >= 1');
  if (!(reconnect.jitter >= 0 && reconnect.jitter <= 1)) bad('reconnect.jitter must be between 0 and 1');
  if (
    !(reconnect.maxRetries >= 0) ||
    (!Number.isInteger(reconnect.maxRetries) && reconnect.maxRetries !== Infinity)
  ) {
    bad('reconnect.maxRetries must be a whole number >= 0 or Infinity');
  }
  positive('reconnect.minUptime', reconnect.minUptime, bad, true);
  knownKeys('queue', options.queue, ['max'], bad);
  const queueMax = options.queue?.max ?? clientDefaults.queueMax;
  if (!Number.isInteger(queueMax) || queueMax < 0) bad('queue.max must be a whole number >= 0');
  const maxPayload = options.maxPayload ?? clientDefaults.maxPayload;
  positive('maxPayload', maxPayload, bad, false, 'bytes');
  if (options.onError !== undefined && typeof options.onError !== 'function')
    bad('onError must be a function');
  if (options.debug !== undefined && typeof options.debug !== 'boolean') bad('debug must be true or false');
  if (options.allowInsecure !== undefined && typeof options.allowInsecure !== 'boolean')
    bad('allowInsecure must be true or false');
  checkObjectOptions(options, bad);
  return {
    url: url.toString(),
    timeouts,
    closeGrace,
    reconnect,
    shouldRetry: shouldRetry as ShouldRetry | undefined,
    queueMax,
    maxPayload,
  };
}

/** `WebSocket`, `codecs`, `plugins`, `logger`, `inspect`: the options the client calls into. */
function checkObjectOptions(options: GatewayClientOptions, bad: (what: string) => never): void {
  const { WebSocket, codecs, plugins, logger, inspect } = options as Record<
    keyof GatewayClientOptions,
    unknown
  >;
  if (WebSocket !== undefined && typeof WebSocket !== 'function')
    bad(`WebSocket must be a WebSocket constructor (a class), got ${describe(WebSocket)}`);
  if (codecs !== undefined) {
    const problem = eventCodecsProblem(codecs, 'codecs');
    if (problem !== undefined) bad(problem);
  }
  if (plugins !== undefined) {
    if (!Array.isArray(plugins)) bad(`plugins must be an array of plugins, got ${describe(plugins)}`);
    (plugins as unknown[]).forEach((plugin, at) => {
      if (typeof plugin !== 'object' || plugin === null)
        bad(`plugins[${at}] must be a plugin ({ name, … }), got ${describe(plugin)}`);
      // Checked here, before any plugin is used: a wrong codec found when its event arrives would
      // be too late. (`null` is absent, as for the plugin host.)
      const own = (plugin as { codecs?: unknown }).codecs;
      const problem = own == null ? undefined : eventCodecsProblem(own, `plugins[${at}].codecs`);
      if (problem !== undefined) bad(problem);
    });
  }
  if (logger !== undefined) {
    const what = 'logger must be an object with debug, info, warn and error functions';
    if (typeof logger !== 'object' || logger === null) bad(`${what}, got ${describe(logger)}`);
    const missing = ['debug', 'info', 'warn', 'error'].filter(
      (method) => typeof (logger as Record<string, unknown>)[method] !== 'function',
    );
    if (missing.length > 0) bad(`${what}, got one without ${missing.join(', ')}`);
  }
  // An XState observer: a function, or an object whose `next` takes the events.
  const next =
    typeof inspect === 'object' && inspect !== null ? (inspect as { next?: unknown }).next : undefined;
  if (inspect !== undefined && typeof inspect !== 'function' && typeof next !== 'function')
    bad(`inspect must be a function or an observer with next(), got ${describe(inspect)}`);
}

/** Refuses `value` (the option `name`) unless it is absent or an object whose keys are all `known`. */
function knownKeys(
  name: string,
  value: unknown,
  known: readonly string[],
  bad: (what: string) => never,
  alternative = '',
): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    bad(`${name} must be ${alternative}an object (${known.join(', ')}), got ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) bad(`${name}.${describe(key, true)} is not an option (${known.join(', ')})`);
  }
}

/**
 * A value in an option's message: short and one line. A string value is shown only when shorter
 * than a key fragment (8): a key put in the wrong option must not be printed. A name (`bare`) is
 * shown when it looks like one.
 */
function describe(value: unknown, bare = false): string {
  if (typeof value === 'string') {
    // An option's name is shown when it looks like one (a misspelling is what it usually is).
    if (bare && /^[A-Za-z_$][\w$]{0,23}$/.test(value)) return value;
    return value.length < KEY_FRAGMENT ? JSON.stringify(value) : `a string of ${value.length} characters`;
  }
  return kindOf(value);
}

function positive(
  name: string,
  value: unknown,
  bad: (what: string) => never,
  zeroOk = false,
  unit = 'ms',
): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!zeroOk && value === 0)) {
    bad(`${name} must be a ${zeroOk ? 'non-negative' : 'positive'} number (${unit}), got ${String(value)}`);
  }
  // setTimeout fires at once for a longer delay (Node warns and uses 1 ms): refuse it here.
  if (unit === 'ms' && value > MAX_TIMER_MS)
    bad(`${name} must be at most ${MAX_TIMER_MS} ms (the longest timer), got ${String(value)}`);
}

/** 127.0.0.0/8, `localhost` (and its subdomains) and `::1`: traffic that never leaves the machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}
