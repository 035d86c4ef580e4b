/**
 * Heap per ready idle client, in this process, which holds nothing but clients (their servers run
 * in child processes): (heapUsed with N ready clients − heapUsed before) / N, both read once
 * repeated GCs stop shrinking the heap.
 */
import { sleep } from '../../lib/stats.js';
import { within, type Peer, type PeerClient } from '../peer.js';

/** Clients connecting at once: well under the servers' listen backlog (511). */
const BATCH = 50;

/**
 * gc() until heapUsed stops going down (at most 20 times). One GC right after a peer's first
 * clients leaves ~1.3 KB per client of the next measurement behind (shared/peers.md).
 */
export async function settle(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  let last = process.memoryUsage();
  for (let i = 0; i < 20; i++) {
    gc();
    await sleep(20);
    const now = process.memoryUsage();
    if (now.heapUsed >= last.heapUsed) return now;
    last = now;
  }
  return last;
}

/** Connects `n` clients, `BATCH` at a time; each must be ready within 10 s. */
export async function connectMany(peer: Peer, url: string, n: number): Promise<PeerClient[]> {
  const clients: PeerClient[] = [];
  for (let i = 0; i < n; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, n - i) }, () =>
      within(`${peer.name} connect → ready`, 10_000, peer.connect(url)),
    );
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

export interface HeapFigure {
  /** JS heap per client, bytes. */
  readonly heap: number;
  /** External memory (Buffers, outside the JS heap) per client, bytes. */
  readonly external: number;
  /** JS heap per client still held after the clients were closed: a leak check (~0 expected). */
  readonly left: number;
}

export async function heapPerClient(peer: Peer, url: string, n: number): Promise<HeapFigure> {
  const before = await settle();
  const clients = await connectMany(peer, url, n);
  // Lets the last handshakes' stray work (acks, timers armed at ready) finish.
  await sleep(300);
  const ready = await settle();
  await Promise.all(clients.map((c) => c.close()));
  clients.length = 0;
  await sleep(300);
  const after = await settle();
  return {
    heap: (ready.heapUsed - before.heapUsed) / n,
    external: (ready.external - before.external) / n,
    left: (after.heapUsed - before.heapUsed) / n,
  };
}
