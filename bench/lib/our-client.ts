/** Our client as the benchmarks use it: quiet, counting what it reports instead of printing it. */
import {
  createGatewayClient,
  type GatewayClient,
  type GatewayPlugin,
  type PluginLogger,
} from '../../src/index.js';
import type { GatewayClientOptions } from '../../src/session/options.js';

const silent: PluginLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface OurClient {
  readonly client: GatewayClient;
  /** Errors reported through `onError` so far (a benchmark that drops frames must say so). */
  readonly errors: () => number;
}

export function createOurClient(
  url: string,
  options: Partial<Omit<GatewayClientOptions, 'url'>> & { plugins?: GatewayPlugin[] } = {},
): OurClient {
  let errors = 0;
  const client = createGatewayClient({
    url: `${url}/?v=1`,
    identify: { type: 'bot', key: 'local-dev-key' },
    logger: silent,
    ...options,
    onError: () => {
      errors++;
    },
  });
  return { client, errors: () => errors };
}

/** The key the local gateway accepts by default; the bare gateway accepts any. */
export const BENCH_KEY = 'local-dev-key';
