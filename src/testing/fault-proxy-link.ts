/**
 * One proxied connection: the socket a client opened to the proxy, the socket the proxy opened to
 * the target, and a pipe each way between them.
 */
import { connect, type Socket } from 'node:net';
import { createPipe, type Pipe, type PipeConditions, type PipeSink } from './fault-proxy-pipe.js';

/** What a link needs from its proxy. */
export interface LinkInit {
  /** The socket the client opened, accepted with `allowHalfOpen` so a FIN can be passed on as such. */
  readonly client: Socket;
  readonly target: { readonly host: string; readonly port: number };
  /** Conditions of each direction: `upstream` is client → target, `downstream` target → client. */
  readonly upstream: () => PipeConditions;
  readonly downstream: () => PipeConditions;
  /** The client has closed its side (FIN or RST): from here on it is no longer an open connection. */
  readonly onClientGone: () => void;
  /** Both sockets are closed. */
  readonly onClosed: () => void;
}

/** A proxied connection. See {@link createLink}. */
export interface Link {
  /** Bytes or an end were swallowed on this link: its stream has a hole and cannot carry on. */
  readonly swallowed: boolean;
  /** Drops what is in flight both ways (a blackhole switched on now). */
  swallow(): void;
  /** Cuts both sides with an RST where Node can send one. */
  reset(): void;
  /** Resolves when both sockets are closed. */
  readonly closed: Promise<void>;
}

/**
 * Sends an RST and destroys the socket. `resetAndDestroy` needs a connected TCP handle: a socket
 * still connecting (or already gone) is destroyed plainly.
 */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}

/** Connects to the target and starts passing bytes both ways. Writes before the connect are buffered by Node. */
export function createLink(init: LinkInit): Link {
  const { client, onClientGone } = init;
  const target = connect({ host: init.target.host, port: init.target.port, allowHalfOpen: true });
  // The proxy must not add Nagle's delay to a protocol timed in milliseconds.
  client.setNoDelay(true);
  target.setNoDelay(true);

  /** Sockets whose writing side was ended or reset by a pipe (rather than left open by a blackhole). */
  const ended = new Set<Socket>();
  const sinkOf = (socket: Socket): PipeSink => ({
    write: (chunk) => {
      if (!socket.destroyed && socket.writable) socket.write(chunk);
    },
    end: () => {
      ended.add(socket);
      if (!socket.destroyed) socket.end();
    },
    reset: () => {
      ended.add(socket);
      resetSocket(socket);
    },
  });
  const up: Pipe = createPipe(init.upstream, sinkOf(target));
  const down: Pipe = createPipe(init.downstream, sinkOf(client));

  let clientGone = false;
  const clientLeft = (): void => {
    if (clientGone) return;
    clientGone = true;
    onClientGone();
  };
  const closedOf = (socket: Socket): Promise<void> =>
    new Promise((resolve) => {
      socket.once('close', () => resolve());
    });
  const closed = Promise.all([closedOf(client), closedOf(target)]).then(() => {
    up.close();
    down.close();
    init.onClosed();
  });

  // Both ends have said all they will: nothing can flow any more. A socket whose end was passed on
  // closes by itself once its last bytes are written; one that never heard the end (a blackhole
  // swallowed it) would stay half-open forever, so it is destroyed here.
  const settle = (): void => {
    if (!up.done || !down.done) return;
    for (const socket of [client, target]) if (!ended.has(socket)) socket.destroy();
  };

  const wire = (socket: Socket, pipe: Pipe, onEnd: () => void): void => {
    socket.on('data', (chunk: Buffer) => pipe.push(chunk));
    socket.on('end', () => {
      onEnd();
      pipe.finish('end');
      settle();
    });
    // Errors (ECONNRESET, ECONNREFUSED from the target, EPIPE) always come with a close.
    socket.on('error', () => undefined);
    socket.on('close', (hadError) => {
      onEnd();
      pipe.finish(hadError ? 'reset' : 'end');
      settle();
    });
  };
  wire(client, up, clientLeft);
  wire(target, down, () => undefined);

  return {
    get swallowed() {
      return up.swallowed || down.swallowed;
    },
    swallow() {
      up.swallow();
      down.swallow();
    },
    reset() {
      up.close();
      down.close();
      resetSocket(client);
      resetSocket(target);
      clientLeft();
    },
    closed,
  };
}
