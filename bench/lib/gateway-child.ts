/**
 * The local gateway (`createLocalGateway`, the real one) in its own process, so that its memory and
 * CPU never count in the process that measures the clients. Options come as JSON in argv[2].
 * Messages: `stats` → `{ cpuMicros, heartbeats, beatMillis, open }`; `stop` closes the gateway and exits.
 */
import { createLocalGateway, type LocalGatewayOptions } from '../../src/testing/index.js';
import { cpuMicros, listen, tell } from './child.js';

const options = JSON.parse(process.argv[2] ?? '{}') as LocalGatewayOptions;
const gateway = await createLocalGateway(options);
tell({ type: 'listening', url: gateway.url });
/** Frames of each connection already looked at by `stats`. */
const seen = new Map<number, number>();

listen((message) => {
  switch (message.type) {
    case 'stats': {
      let heartbeats = 0;
      // The distinct milliseconds in which heartbeats arrived since the last `stats`: how clustered
      // the clients' heartbeat timers are (clustered timers share event-loop turns on both sides).
      const millis = new Set<number>();
      for (const connection of gateway.connections) {
        heartbeats += connection.heartbeats;
        const frames = connection.frames;
        for (let i = seen.get(connection.number) ?? 0; i < frames.length; i++) {
          const frame = frames[i];
          if (frame?.text === '{"op":10}') millis.add(frame.receivedAt);
        }
        seen.set(connection.number, frames.length);
      }
      tell({
        type: 'stats',
        cpuMicros: cpuMicros(),
        heartbeats,
        beatMillis: millis.size,
        open: gateway.openConnectionCount,
      });
      return;
    }
    case 'stop':
      void gateway.close().then(() => process.exit(0));
      return;
  }
});
