/**
 * The page chromium.test.ts loads: a client, as an app would use it, driven from the test through
 * `window.utilbot`. The import is typed against src/; the test bundles it against the package's
 * `browser` export (dist/browser/index.js) instead, so what runs in the browser is what ships.
 */
import { createGatewayClient, type GatewayClient, type GlobalGuildCountData } from '../../src/index.js';

/** What the test reads and calls through `window.utilbot`. */
export interface BrowserPage {
  /** Every status the client went through, in order. */
  readonly statuses: string[];
  /** The data of every GLOBAL_GUILD_COUNT received. */
  readonly counts: GlobalGuildCountData[];
  /** Every error the client reported, as its one-line message. */
  readonly errors: string[];
  /** What the page runs on: no Node here, only what a browser has. */
  readonly runtime: { readonly process: string; readonly require: string; readonly WebSocket: string };
  /** How `start()` ended: `'ready'`, or its error; `undefined` while it has not. */
  readonly started: string | undefined;
  /**
   * Creates a client for `url`, with `compression: 'zlib'` unless `compression` is false, and starts
   * it (see `started`). `minDelay`: the backoff's first wait, ms (default 20: instant retries).
   */
  connect(url: string, key: string, compression?: boolean, minDelay?: number): void;
  /** Every reason a status change gave, as its code. */
  readonly reasons: string[];
  /** Sends `send_servers`, which makes the gateway broadcast GLOBAL_GUILD_COUNT. */
  report(counts: GlobalGuildCountData): void;
  /** Stops the client; resolves with its status afterwards. */
  stop(): Promise<string>;
}

let client: GatewayClient | undefined;
const state: { -readonly [K in keyof BrowserPage]: BrowserPage[K] } = {
  statuses: [],
  counts: [],
  errors: [],
  started: undefined,
  runtime: {
    process: typeof (globalThis as { process?: unknown }).process,
    require: typeof (globalThis as { require?: unknown }).require,
    WebSocket: typeof globalThis.WebSocket,
  },
  reasons: [],
  connect(url, key, compression = true, minDelay = 20) {
    client = createGatewayClient({
      url,
      ...(compression ? { compression: 'zlib' as const } : {}),
      identify: { type: 'bot', key },
      // Instant retries by configuration, as the Node tests do.
      reconnect: { minDelay, maxDelay: Math.max(200, minDelay), jitter: 0 },
      timeouts: { connect: 3000, hello: 3000, identify: 3000 },
      onError: (error) => state.errors.push(error.message),
      plugins: [
        {
          name: 'counts',
          events: {
            GLOBAL_GUILD_COUNT: (data) => {
              state.counts.push(data);
            },
          },
        },
      ],
    });
    client.subscribe((change) => {
      state.statuses.push(change.status);
      if (change.reason !== undefined) state.reasons.push(String(change.reason.code));
    });
    client.start().then(
      () => (state.started = 'ready'),
      (error: unknown) =>
        (state.started = `start failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  },
  report(counts) {
    client?.send('send_servers', counts);
  },
  async stop() {
    await client?.stop();
    return client?.status ?? 'no client';
  },
};

(window as unknown as { utilbot: BrowserPage }).utilbot = state;
