/**
 * Inbound events/s of the protocol clients: one client each, flooded by its own server with `count`
 * events whose frames were built before the clock starts (servers/flood.ts; ours: benchmark 1's bare
 * gateway). Rate = count / (time from asking for the flood to the client's last event handler).
 * Also recorded: this process's CPU over the same wall time (near 100 % means the client is what
 * limits the rate, as shared/peers.md asks to check) and how busy the server was.
 */
import type { Helper } from '../../lib/child.js';
import { cpuMicros } from '../../lib/child.js';
import { within, type Peer } from '../peer.js';

export interface InboundFigures {
  readonly rates: number[];
  /** This process's CPU time over wall time during each flood, %. */
  readonly clientCpu: number[];
  /** The server's busy time during each flood, % of one core. */
  readonly serverBusy: number[];
}

interface Server {
  readonly helper: Helper;
  readonly url: string;
}

/** Floods each peer `rounds` times (after one warm-up flood of a quarter), peers taking turns. */
export async function inboundRates(
  peers: readonly Peer[],
  floodServerOf: (peer: Peer) => Server,
  count: number,
  rounds: number,
): Promise<Map<string, InboundFigures>> {
  const runs = await Promise.all(peers.map((peer) => flooder(peer, floodServerOf(peer))));
  const figures = new Map<string, InboundFigures>(
    peers.map((p) => [p.name, { rates: [], clientCpu: [], serverBusy: [] }]),
  );
  for (const run of runs) await run.flood(count / 4);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < runs.length; k++) {
      const run = runs[(round + k) % runs.length];
      if (run === undefined) continue;
      const { rate, clientCpu, serverBusy } = await run.flood(count);
      const f = figures.get(run.peer.name);
      f?.rates.push(rate);
      f?.clientCpu.push(clientCpu);
      f?.serverBusy.push(serverBusy);
    }
  }
  await Promise.all(runs.map((run) => run.close()));
  return figures;
}

async function flooder(peer: Peer, server: Server) {
  let left = 0;
  let done: () => void = () => undefined;
  const client = await within(
    peer.name,
    10_000,
    peer.connect(server.url, () => {
      if (--left === 0) done();
    }),
  );
  return {
    peer,
    close: () => client.close(),
    async flood(n: number): Promise<{ rate: number; clientCpu: number; serverBusy: number }> {
      const finished = new Promise<void>((resolve) => {
        left = n;
        done = resolve;
      });
      const ask = client.requestFlood;
      if (ask === undefined) {
        server.helper.send({ type: 'prepare', count: n });
        await server.helper.next('prepared', 60_000);
      }
      const cpu0 = cpuMicros();
      const t0 = performance.now();
      if (ask === undefined) server.helper.send({ type: 'flood' });
      else ask(n);
      await within(`${peer.name} flood`, 120_000, finished);
      const wall = performance.now() - t0;
      const cpu = cpuMicros() - cpu0;
      const stats = await server.helper.next<{ type: string; busyPercent: number }>('flood-stats');
      return { rate: n / (wall / 1000), clientCpu: cpu / 10 / wall, serverBusy: stats.busyPercent };
    },
  };
}
