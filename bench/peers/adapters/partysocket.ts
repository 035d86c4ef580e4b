/**
 * partysocket's ReconnectingWebSocket (`partysocket/ws`, what a page uses without PartyKit), given
 * `ws` as its WebSocket (Node 20 has no global one), against the plain server raw ws uses. Ready at
 * `open`: it has no protocol of its own, hence no events/s figure.
 */
import ReconnectingWebSocket from 'partysocket/ws';
import WebSocket from 'ws';
import type { Peer } from '../peer.js';
import { hello } from './servers.js';

export const partysocket: Peer = {
  name: 'partysocket',
  server: hello,
  page: 'bench/peers/pages/partysocket.ts',
  connect(url) {
    return new Promise((resolve, reject) => {
      const socket = new ReconnectingWebSocket(url, [], { WebSocket });
      socket.addEventListener('error', reject, { once: true });
      socket.addEventListener(
        'open',
        () => {
          resolve({
            close: () =>
              new Promise<void>((done) => {
                socket.addEventListener('close', () => done(), { once: true });
                socket.close(1000);
              }),
          });
        },
        { once: true },
      );
    });
  },
};
