/**
 * A plain `ws` server that sends one Hello and nothing else (raw ws and partysocket connect here):
 * the least a server can do, so the clients' own cost is what benchmark 9 reads.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { announce } from './announce.js';

const HELLO = JSON.stringify({ op: 5, d: { heartbeat: 600_000 } });

const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
wss.on('connection', (ws) => {
  ws.on('error', () => undefined);
  ws.send(HELLO);
});
announce(server, 'ws');
