import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createLink, resetSocket, type Link } from './fault-proxy-link.js';
import type { PipeConditions } from './fault-proxy-pipe.js';
import type { FaultDirection, FaultProxy, FaultProxyOptions, FaultProxyTarget } from './fault-proxy-types.js';

/** Upstream and downstream conditions, as the pipes read them. */
interface Shaping {
  latency: number;
  bandwidth: number;
}

/**
 * Starts a fault proxy in front of `target`.
 *
 * @example
 * const gateway = await createLocalGateway();
 * const proxy = await createFaultProxy({ target: gateway.url });
 * const client = createGatewayClient({ url: proxy.url, identify });
 * await client.start();
 * proxy.blackhole(); // the client must notice on its own (missing heartbeat ACK)
 * proxy.heal();
 * await proxy.close();
 */
export async function createFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const { target, scheme } = resolveTarget(options.target);
  const links = new Set<Link>();
  const shaping: Record<'upstream' | 'downstream', Shaping> = {
    upstream: { latency: 0, bandwidth: Infinity },
    downstream: { latency: 0, bandwidth: Infinity },
  };
  let blackholed = false;
  let partitioned = false;
  let connectionCount = 0;
  let refusedConnectionCount = 0;
  let openConnectionCount = 0;
  let maxOpenConnectionCount = 0;
  let closing: Promise<void> | undefined;

  const conditionsOf = (direction: 'upstream' | 'downstream') => (): PipeConditions => ({
    blackhole: blackholed,
    ...shaping[direction],
  });
  const directions = (direction: FaultDirection): ('upstream' | 'downstream')[] =>
    direction === 'both' ? ['upstream', 'downstream'] : [direction];

  // allowHalfOpen: a client's FIN is passed on as a FIN, not turned into a full close by Node.
  const server = createServer({ allowHalfOpen: true }, (client: Socket) => {
    connectionCount++;
    openConnectionCount++;
    maxOpenConnectionCount = Math.max(maxOpenConnectionCount, openConnectionCount);
    client.on('error', () => undefined);
    if (partitioned || closing !== undefined) {
      // A refused connection: the client's connect succeeds at TCP level (the proxy's listen socket
      // accepted it) and is reset at once, which a WebSocket client sees as a failed handshake.
      refusedConnectionCount++;
      openConnectionCount--;
      resetSocket(client);
      return;
    }
    const link = createLink({
      client,
      target,
      upstream: conditionsOf('upstream'),
      downstream: conditionsOf('downstream'),
      onClientGone: () => {
        openConnectionCount--;
      },
      onClosed: () => {
        links.delete(link);
      },
    });
    links.add(link);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, an accept failing (out of file descriptors) must not crash a test run.
  server.on('error', () => undefined);
  const { port } = server.address() as AddressInfo;

  function reset(): void {
    for (const link of links) link.reset();
  }

  async function close(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
    const pending = [...links].map((link) => link.closed);
    reset();
    await Promise.all([closed, ...pending]);
  }

  return {
    url: `${scheme}://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    get connectionCount() {
      return connectionCount;
    },
    get refusedConnectionCount() {
      return refusedConnectionCount;
    },
    get openConnectionCount() {
      return openConnectionCount;
    },
    get maxOpenConnectionCount() {
      return maxOpenConnectionCount;
    },
    get conditions() {
      return {
        blackhole: blackholed,
        partition: partitioned,
        upstream: { ...shaping.upstream },
        downstream: { ...shaping.downstream },
      };
    },
    blackhole() {
      blackholed = true;
      for (const link of links) link.swallow();
    },
    latency(ms, direction = 'both') {
      if (!(ms >= 0) || !Number.isFinite(ms))
        throw new RangeError(`latency must be a finite number of ms >= 0, got ${ms}`);
      for (const d of directions(direction)) shaping[d].latency = ms;
    },
    bandwidth(bytesPerSecond, direction = 'both') {
      if (!(bytesPerSecond > 0)) {
        throw new RangeError(
          `bandwidth must be a number of bytes per second > 0 (or Infinity), got ${bytesPerSecond}`,
        );
      }
      for (const d of directions(direction)) shaping[d].bandwidth = bytesPerSecond;
    },
    reset,
    partition() {
      partitioned = true;
      reset();
    },
    heal() {
      blackholed = false;
      partitioned = false;
      for (const d of directions('both')) shaping[d] = { latency: 0, bandwidth: Infinity };
      for (const link of links) if (link.swallowed) link.reset();
    },
    close() {
      closing ??= close();
      return closing;
    },
  };
}

/** The target's host and port, and the scheme the proxy's `url` should use. */
function resolveTarget(target: FaultProxyTarget | string): { target: FaultProxyTarget; scheme: string } {
  if (typeof target !== 'string') return { target, scheme: 'ws' };
  const url = new URL(target);
  const scheme = url.protocol.replace(/:$/, '');
  const secure = scheme === 'wss' || scheme === 'https';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  // URL keeps IPv6 hosts in brackets; net.connect wants them bare.
  return { target: { host: url.hostname.replace(/^\[|\]$/g, ''), port }, scheme };
}
