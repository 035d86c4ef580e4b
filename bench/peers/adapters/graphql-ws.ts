/**
 * graphql-ws's client, against graphql-ws's own `use/ws` server (servers/graphql-ws.ts): not lazy,
 * so it connects at once, and ready at `connected` (the server's connection_ack), when it starts
 * its one subscription. Every client holds one, idle ones too: a graphql-ws client receives events
 * only through a subscription, as the other clients receive theirs once ready (without it, a client
 * weighs about 2.2 KB less).
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Peer } from '../peer.js';
import { graphqlWs as server } from './servers.js';

const QUERY = 'subscription { guildCount { guilds guildMembers cachedGuildMembers } }';

export const graphqlWs: Peer = {
  name: 'graphql-ws',
  server,
  floodServer: server,
  page: 'bench/peers/pages/graphql-ws.ts',
  connect(url, onEvent) {
    return new Promise((resolve, reject) => {
      const client = createClient({
        url,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: reject,
      });
      const closed = new Promise<void>((done) => client.on('closed', () => done()));
      client.on('connected', () => {
        client.subscribe(
          { query: QUERY },
          {
            next: onEvent ?? (() => undefined),
            error: (error) => reject(error as Error),
            complete: () => undefined,
          },
        );
        resolve({
          close: async () => {
            await client.dispose();
            await closed;
          },
        });
      });
    });
  },
};
