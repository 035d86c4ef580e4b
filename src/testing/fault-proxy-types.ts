/**
 * The fault proxy's public shapes: its options and what a running proxy offers. The implementation
 * is in `fault-proxy.ts`.
 */

/** Where a fault proxy forwards to. */
export interface FaultProxyTarget {
  /** The gateway's host. */
  readonly host: string;
  /** The gateway's port. */
  readonly port: number;
}

/** Options of {@link createFaultProxy}. */
export interface FaultProxyOptions {
  /**
   * Where to forward: `{ host, port }`, or a URL such as `gateway.url` (`ws://127.0.0.1:54321`),
   * of which only the host and port are used (the port defaults to 80 for `ws:`, 443 for `wss:`).
   */
  readonly target: FaultProxyTarget | string;
  /** Port to listen on, on 127.0.0.1. Default `0`: a free port chosen by the system (read `proxy.port`). */
  readonly port?: number;
}

/**
 * A direction of traffic: `upstream` is client → target, `downstream` is target → client, `both`
 * is both.
 */
export type FaultDirection = 'upstream' | 'downstream' | 'both';

/** What the proxy does to traffic now. */
export interface FaultProxyConditions {
  /** Every byte is swallowed, both ways, and every socket stays open. */
  readonly blackhole: boolean;
  /** Current connections were cut and new ones are refused. */
  readonly partition: boolean;
  /** Client → target. */
  readonly upstream: { readonly latency: number; readonly bandwidth: number };
  /** Target → client. */
  readonly downstream: { readonly latency: number; readonly bandwidth: number };
}

/**
 * A TCP proxy on 127.0.0.1 that puts a bad network between a client and a gateway, on command.
 * Faults apply to every connection, current and new, from the moment they are set; latency and
 * bandwidth apply to bytes that arrive from then on (bytes already delayed keep their schedule).
 */
export interface FaultProxy {
  /** Where to point a client, e.g. `ws://127.0.0.1:54321` (the target URL's scheme, `ws` by default). */
  readonly url: string;
  /** Always `127.0.0.1`. */
  readonly host: string;
  /** The port it listens on. */
  readonly port: number;
  /** Client connections so far, refused ones included. */
  readonly connectionCount: number;
  /** Client connections refused during a partition. */
  readonly refusedConnectionCount: number;
  /**
   * Client connections open now. One counts until the client has closed its side (FIN or RST) or
   * the proxy cut it, so a client that opens a socket only after closing the previous one never
   * shows two.
   */
  readonly openConnectionCount: number;
  /** The most client connections ever open at once: `1` proves a client never held two sockets. */
  readonly maxOpenConnectionCount: number;
  /** What the proxy does to traffic now. */
  readonly conditions: FaultProxyConditions;
  /**
   * Swallows every byte both ways (and every FIN), leaving every socket open: a half-open
   * connection, as when a peer vanished or a route died. New connections are accepted and
   * swallowed too, so a WebSocket handshake never completes. Bytes already in flight are lost.
   */
  blackhole(): void;
  /** Adds `ms` of one-way delay in `direction` (default `both`); `0` removes it. */
  latency(ms: number, direction?: FaultDirection): void;
  /** Limits `direction` (default `both`) to `bytesPerSecond`; `Infinity` removes the limit. */
  bandwidth(bytesPerSecond: number, direction?: FaultDirection): void;
  /** Cuts every current connection with an RST to both sides. New connections are accepted as usual. */
  reset(): void;
  /** Cuts every current connection (RST) and refuses new ones (RST at once) until {@link FaultProxy.heal}. */
  partition(): void;
  /**
   * Back to a transparent proxy: no blackhole, no partition, no latency, no limit. A connection that
   * lost bytes to a blackhole is reset: its byte stream has a hole, which TCP would never deliver.
   */
  heal(): void;
  /** Closes every connection and the listening socket; resolves when nothing of the proxy is left. Idempotent. */
  close(): Promise<void>;
}
