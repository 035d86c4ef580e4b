/**
 * The floor: a bare `ws` socket with one message listener, ready at the server's first message (a
 * Hello). No heartbeat, no parsing, no reconnect: what any client below pays at least.
 */
import WebSocket from 'ws';
import type { Peer, PeerClient } from '../peer.js';
import { hello } from './servers.js';

export const rawWs: Peer = {
  name: 'raw ws',
  server: hello,
  page: 'bench/peers/pages/raw-ws.ts',
  connect(url) {
    return new Promise<PeerClient>((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.on('error', reject);
      ws.once('message', () => {
        resolve({
          close: () =>
            new Promise<void>((done) => {
              ws.once('close', () => done());
              ws.close(1000);
            }),
        });
      });
    });
  },
};
