/**
 * Ours, exactly as benchmarks 1 and 3 make it (bench/lib/our-client.ts), from the bench build: ready
 * when `start()` resolves (bot_connect_success). Its idle clients talk to the real local gateway; its
 * flood comes from benchmark 1's bare gateway, asked for with the `bench_flood` event.
 */
import { createOurClient } from '../../lib/our-client.js';
import type { Peer } from '../peer.js';
import { bareGateway, localGateway } from './servers.js';

export const ours: Peer = {
  name: 'ours',
  server: localGateway,
  floodServer: bareGateway,
  // Benchmark 8's page, bundled through the browser twins (measure/bundle.ts).
  page: 'bench/bundle/page.ts',
  async connect(url, onEvent) {
    const { client } = createOurClient(
      url,
      onEvent === undefined ? {} : { plugins: [{ name: 'count', events: { GLOBAL_GUILD_COUNT: onEvent } }] },
    );
    await client.start();
    return {
      close: () => client.stop(),
      requestFlood: (count) => client.send('bench_flood', { count }),
    };
  },
};
