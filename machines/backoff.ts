/**
 * Reconnect options, in the vocabulary of reconnecting-websocket (which this machine replaces:
 * two reconnect loops around one socket would race).
 */
export interface ReconnectOptions {
  /** Delay before the first retry, ms. Default 1000. */
  readonly minDelay: number;
  /** The delay never grows past this, ms. Default 30000. */
  readonly maxDelay: number;
  /** Each retry waits `factor` times longer than the one before. Default 2. */
  readonly factor: number;
  /** The fraction (0..1) of each delay that is random; 0 = none. Default 0.5. */
  readonly jitter: number;
  /**
   * Retries before `failed`. The first connection is not a retry, so 3 means at most 4
   * connections. Default Infinity.
   */
  readonly maxRetries: number;
  /**
   * A session must stay ready this long (ms) before the retry count resets, so a gateway that
   * accepts and drops at once still meets a growing delay. Default 5000.
   */
  readonly minUptime: number;
}

/** The defaults of {@link ReconnectOptions}: the one place they are written. */
export const reconnectDefaults: ReconnectOptions = {
  minDelay: 1000,
  maxDelay: 30000,
  factor: 2,
  jitter: 0.5,
  maxRetries: Infinity,
  minUptime: 5000,
};

/**
 * The wait before retry number `retry` (1 for the first retry): `minDelay * factor^(retry-1)`,
 * capped at `maxDelay`, of which the fraction `jitter` is random. `random` is in [0, 1).
 */
export function backoffDelay(retry: number, options: ReconnectOptions, random: number): number {
  // `minDelay` 0 times a factor grown to Infinity is NaN: no delay grows from 0.
  const grown = options.minDelay === 0 ? 0 : options.minDelay * options.factor ** Math.max(0, retry - 1);
  const base = Math.min(options.maxDelay, grown);
  return Math.round(base * (1 - options.jitter) + base * options.jitter * random);
}
