/**
 * Connect → ready: from creating a client to its protocol's ready (see each adapter), one client at
 * a time against an otherwise idle server, the peers taking turns so that they share the machine's
 * load alike. Each client is closed before the next is made.
 */
import { within, type Peer } from '../peer.js';

const WARM_UP = 10;

/** Milliseconds per connect, by peer name, `samples` each. */
export async function connectTimes(
  peers: readonly Peer[],
  urlOf: (peer: Peer) => string,
  samples: number,
): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(peers.map((p) => [p.name, []]));
  // The first WARM_UP turns are not kept: one client at a time takes paths (and a server's) that
  // the batches of the heap rounds did not warm up; the first few connects read about 1.5× slower.
  for (let i = 0; i < WARM_UP + samples; i++) {
    for (let k = 0; k < peers.length; k++) {
      // A different peer goes first each time.
      const peer = peers[(i + k) % peers.length] as Peer;
      const t0 = performance.now();
      const client = await within(`${peer.name} connect → ready`, 10_000, peer.connect(urlOf(peer)));
      if (i >= WARM_UP) times.get(peer.name)?.push(performance.now() - t0);
      await client.close();
    }
  }
  return times;
}
