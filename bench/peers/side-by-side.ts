/**
 * Benchmark 9's measurements, loaded by case.ts once the peer packages are installed. The servers
 * start first, each in its own process; then, in this process (which holds nothing but clients):
 * every peer warmed with 50 clients; heap rounds (every peer in each, a different one first each
 * round); connect → ready one client at a time; inbound floods of the protocol clients. The bundles
 * need no server.
 */
import { loadavg } from 'node:os';
import { startHelperFile, type Helper } from '../lib/child.js';
import { log, quick } from '../lib/case.js';
import type { BenchRow } from '../lib/result.js';
import { formatNumber } from '../lib/stats.js';
import { bundle, type BundleFigure } from './measure/bundle.js';
import { connectTimes } from './measure/connect.js';
import { connectMany, heapPerClient, settle, type HeapFigure } from './measure/heap.js';
import { inboundRates } from './measure/inbound.js';
import type { Peer, ServerSpec } from './peer.js';
import { peers } from './peers.js';
import { report } from './table.js';

const clients = quick ? 100 : 300;
const heapRounds = quick ? 2 : 3;
const connectSamples = quick ? 20 : 100;
const floodEvents = quick ? 50_000 : 200_000;
const floodRounds = quick ? 2 : 3;
/** Clients each peer makes and closes before anything is measured: loads and compiles its code. */
const WARM_UP = 50;

interface Server {
  readonly helper: Helper;
  readonly url: string;
}

async function startServers(specs: readonly ServerSpec[]): Promise<Map<ServerSpec, Server>> {
  const servers = new Map<ServerSpec, Server>();
  for (const spec of new Set(specs)) {
    const helper = startHelperFile(spec.file, spec.args);
    const { url } = await helper.next<{ type: string; url: string }>('listening');
    servers.set(spec, { helper, url });
  }
  return servers;
}

export async function sideBySide(): Promise<BenchRow[]> {
  const specs = peers.flatMap((p) => (p.floodServer === undefined ? [p.server] : [p.server, p.floodServer]));
  const servers = await startServers(specs);
  const serverOf = (spec: ServerSpec): Server => {
    const server = servers.get(spec);
    if (server === undefined) throw new Error(`no server for ${spec.file}`);
    return server;
  };
  const urlOf = (peer: Peer): string => serverOf(peer.server).url;

  const heap = new Map<string, HeapFigure[]>(peers.map((p) => [p.name, []]));
  let connect: Map<string, number[]>;
  let inbound: Awaited<ReturnType<typeof inboundRates>>;
  try {
    for (const peer of peers) {
      await Promise.all((await connectMany(peer, urlOf(peer), WARM_UP)).map((c) => c.close()));
    }
    await settle();
    for (let round = 0; round < heapRounds; round++) {
      const line: string[] = [];
      for (let k = 0; k < peers.length; k++) {
        const peer = peers[(round + k) % peers.length] as Peer;
        const figure = await heapPerClient(peer, urlOf(peer), clients);
        heap.get(peer.name)?.push(figure);
        line.push(`${peer.name} ${formatNumber(figure.heap)}`);
      }
      log(`heap round ${round + 1} (B/client, in the order measured): ${line.join(', ')}`);
    }
    connect = await connectTimes(peers, urlOf, connectSamples);
    log(`connect → ready: ${connectSamples} connects per peer, one at a time`);
    const flooded = peers.filter((p) => p.floodServer !== undefined);
    inbound = await inboundRates(
      flooded,
      (peer) => serverOf(peer.floodServer ?? peer.server),
      floodEvents,
      floodRounds,
    );
    log(
      `inbound: ${formatNumber(floodEvents)} events per flood, ${floodRounds} rounds after a warm-up flood`,
    );
  } finally {
    await Promise.all([...servers.values()].map((s) => s.helper.stop()));
  }

  const bundles = new Map<string, BundleFigure>();
  const pages: [string, string][] = [
    ...peers.flatMap((p): [string, string][] => (p.page === undefined ? [] : [[p.name, p.page]])),
    ['centrifuge', 'bench/peers/pages/centrifuge.ts'],
  ];
  for (const [name, page] of pages) {
    try {
      bundles.set(name, await bundle(page));
    } catch (error) {
      log(`bundle of ${name} (${page}) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Other processes on the machine show in connect → ready most (several round trips between two processes).
  log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  log('');
  return report(peers, { clients, heap, connect, bundle: bundles, inbound }, log);
}
