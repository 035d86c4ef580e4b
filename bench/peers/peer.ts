/**
 * What benchmark 9 knows of each client it puts side by side: how to connect one until its protocol
 * says it is ready, how to close it, which server it talks to, and which browser page stands for it.
 * One adapter per client in adapters/; the columns of the table are `peers` in order.
 */

/** A helper process the benchmark starts: a file under bench/ (see bench/lib/child.ts), with arguments. */
export interface ServerSpec {
  readonly file: string;
  readonly args?: readonly string[];
}

export interface PeerClient {
  /** Closes for good; resolves once its socket is closed, so the heap read after a teardown is settled. */
  close(): Promise<void>;
  /**
   * Asks for a flood through the protocol itself (ours: the bare gateway's `bench_flood` event). The
   * other servers take `prepare` / `flood` from the benchmark over IPC (bench/peers/servers/flood.ts).
   */
  readonly requestFlood?: (count: number) => void;
}

export interface Peer {
  /** The column title, as users know the package. */
  readonly name: string;
  /** The server its idle clients connect to (heap, connect → ready). */
  readonly server: ServerSpec;
  /** The server that floods it (inbound events/s); absent for the clients that have no events of their own. */
  readonly floodServer?: ServerSpec;
  /** A browser page that makes one client (under bench/), for the bundle figure; absent: Node only. */
  readonly page?: string;
  /**
   * Connects one client and resolves when it is ready in its protocol's own terms; rejects if it
   * cannot get there. `onEvent`, when given, is called for every flood event (the inbound benchmark).
   */
  connect(url: string, onEvent?: () => void): Promise<PeerClient>;
}

/** Rejects after `ms` naming what took too long, so a stuck handshake or flood fails the run instead of hanging it. */
export function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
