/**
 * socket.io-client, against a socket.io 4 server (servers/socket-io.ts): websocket transport only,
 * as the server is, and `forceNew` so that every client gets its own Manager and socket instead of
 * sharing the first one's (shared/peers.md). Ready at `connect` (the namespace's CONNECT answer).
 */
import { io } from 'socket.io-client';
import type { Peer } from '../peer.js';
import { socketIo as server } from './servers.js';

export const socketIo: Peer = {
  name: 'socket.io-client',
  server,
  floodServer: server,
  page: 'bench/peers/pages/socket-io.ts',
  connect(url, onEvent) {
    return new Promise((resolve, reject) => {
      const socket = io(url, { transports: ['websocket'], forceNew: true });
      if (onEvent !== undefined) socket.on('GLOBAL_GUILD_COUNT', onEvent);
      socket.once('connect_error', reject);
      socket.once('connect', () => {
        resolve({
          close: () =>
            new Promise<void>((done) => {
              // `disconnect` is emitted at once; the engine's `close`, when the socket is closed.
              socket.io.engine.once('close', () => done());
              socket.disconnect();
            }),
        });
      });
    });
  },
};
