/**
 * A bare gateway for the throughput benchmarks, run in its own process: a plain `ws` server that
 * speaks just enough of the handshake (Hello, ACKs, `bot_connect_success` on identify) and adds two
 * benchmark-only events a client may send:
 *
 * - `bench_flood {count}`: writes `count` GLOBAL_GUILD_COUNT frames. The WebSocket frame bytes are
 *   built once and written straight to the TCP socket in 64 KiB chunks, honouring backpressure, so
 *   the source costs a memcpy per chunk and is never what limits the rate (it reports how busy it was).
 * - `bench_sink {count}`: counts the next `count` frames without parsing them, then answers
 *   `bench_sink_done`. Heartbeats are recognised by their bytes alone.
 *
 * The local gateway (`createLocalGateway`) is not used here: it parses, checks and records every
 * frame and sends through a promise queue, which would make it the bottleneck of either direction.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { cpuMicros, listen, tell } from './child.js';
import { GUILD_COUNT_FRAME } from './frames.js';

const heartbeatInterval = Number(process.argv[2] ?? 60_000);

const HELLO = JSON.stringify({ op: 5, d: { hearbeat: heartbeatInterval } });
const ACK = '{"op":11}';
const HEARTBEAT = Buffer.from('{"op":10}');
const SINK_DONE = JSON.stringify({ op: 0, t: 'bench_sink_done', d: {} });

/** The flood frame as WebSocket bytes: FIN + text opcode, unmasked (server to client), 7-bit length. */
function floodChunk(): { chunk: Buffer; frameLength: number; framesPerChunk: number } {
  const payload = Buffer.from(GUILD_COUNT_FRAME);
  if (payload.length >= 126) throw new Error('flood payload must fit a 7-bit length');
  const frame = Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
  const framesPerChunk = Math.floor(65_536 / frame.length);
  return {
    chunk: Buffer.concat(Array.from({ length: framesPerChunk }, () => frame)),
    frameLength: frame.length,
    framesPerChunk,
  };
}
const { chunk, frameLength, framesPerChunk } = floodChunk();

async function flood(tcp: Socket, count: number): Promise<void> {
  const cpu0 = cpuMicros();
  const t0 = performance.now();
  let left = count;
  while (left > 0) {
    const n = Math.min(left, framesPerChunk);
    left -= n;
    if (!tcp.write(n === framesPerChunk ? chunk : chunk.subarray(0, n * frameLength)))
      await once(tcp, 'drain');
  }
  const wallMs = performance.now() - t0;
  tell({ type: 'flood-stats', busyPercent: (cpuMicros() - cpu0) / 10 / wallMs, wallMs });
}

function onConnection(ws: WebSocket, tcp: Socket): void {
  let sinkLeft = 0;
  let sinkCpu0 = 0;
  let sinkT0 = 0;
  ws.send(HELLO);
  ws.on('message', (data: Buffer) => {
    if (data.length === HEARTBEAT.length && data.equals(HEARTBEAT)) {
      ws.send(ACK);
      return;
    }
    if (sinkLeft > 0) {
      if (--sinkLeft === 0) {
        ws.send(SINK_DONE);
        const wallMs = performance.now() - sinkT0;
        tell({ type: 'sink-stats', busyPercent: (cpuMicros() - sinkCpu0) / 10 / wallMs, wallMs });
      }
      return;
    }
    const frame = JSON.parse(data.toString()) as { op?: unknown; t?: unknown; d?: { count?: unknown } };
    if (frame.op !== 1) return;
    const count = typeof frame.d?.count === 'number' ? frame.d.count : 0;
    switch (frame.t) {
      case 'identify':
        ws.send(JSON.stringify({ op: 0, t: 'bot_connect_success', d: { id: 'bench-bot', type: 'bot' } }));
        return;
      case 'bench_flood':
        void flood(tcp, count);
        return;
      case 'bench_sink':
        sinkLeft = count;
        sinkCpu0 = cpuMicros();
        sinkT0 = performance.now();
        return;
    }
  });
  ws.on('error', () => undefined);
}

const server = createServer();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
server.on('upgrade', (request, tcp: Socket, head: Buffer) => {
  wss.handleUpgrade(request, tcp, head, (ws) => {
    onConnection(ws, tcp);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  tell({ type: 'listening', url: `ws://127.0.0.1:${address.port}` });
});
listen((message) => {
  if (message.type === 'stop') process.exit(0);
});
