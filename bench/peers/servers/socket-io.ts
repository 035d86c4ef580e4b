/**
 * A socket.io 4 server, websocket transport only (the clients use no polling), default ping
 * settings. Floods are `GLOBAL_GUILD_COUNT` events written ahead into the newest client's socket as
 * Engine.IO message packets (`4`) holding Socket.IO EVENT packets (`2`): `42["GLOBAL_GUILD_COUNT",{…}]`.
 */
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { Server } from 'socket.io';
import { announce } from './announce.js';
import { GUILD_COUNT, serveFloods, whenDefined } from './flood.js';

let newest: Socket | undefined;
const server = createServer();
const io = new Server(server, { transports: ['websocket'] });
io.on('connection', (socket) => {
  // The upgrade request's socket is the connection's TCP socket (engine.io keeps the request).
  const tcp = socket.conn.request.socket;
  newest = tcp;
  socket.on('disconnect', () => {
    if (newest === tcp) newest = undefined;
  });
});
announce(server, 'http');

serveFloods(async () => {
  const tcp = await whenDefined(() => newest);
  const text = `42${JSON.stringify(['GLOBAL_GUILD_COUNT', GUILD_COUNT])}`;
  return {
    tcp,
    *messages(count) {
      for (let i = 0; i < count; i++) yield text;
    },
  };
});
