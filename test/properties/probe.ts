import WebSocket from 'ws';
import type { WebSocketConstructor } from '../../src/index.js';

/** One socket the client made, as the probe saw it. */
export interface ProbedSocket {
  /** 1 for the client's first socket; also sent as `?probe=` so the gateway's connection can be matched. */
  readonly id: number;
  /** The numbers (`d.n`) of the probe's events written into this socket, in order. */
  readonly written: number[];
  /** Neither closed nor terminated yet. */
  live: boolean;
  /** `performance.now()` of the last heartbeat written, if any. */
  lastHeartbeatAt: number | undefined;
}

/** A `WebSocket` option for the client that counts its sockets and what it writes into them. */
export interface SocketProbe {
  readonly WebSocket: WebSocketConstructor;
  readonly sockets: readonly ProbedSocket[];
  /** Sockets not closed (nor terminated) yet. */
  readonly live: number;
  /** The last socket made, if any. */
  readonly latest: ProbedSocket | undefined;
  /** What broke a rule the probe checks by itself (two live sockets, a write while not ready). */
  readonly violations: readonly string[];
}

/**
 * Wraps `ws`: each socket gets an id (in its URL, as `probe=<id>`), the probe's events written into it
 * are recorded, and a socket made while another is still live is a violation ("at most one socket
 * at a time"). A terminated socket counts as gone at once: `terminate()` destroys it, and only its
 * close event is left to come. `event` is the event name whose `d.n` is tracked; `ready()` says
 * whether the client is ready at the moment of a write (events must never be written otherwise).
 */
export function createSocketProbe(event: string, ready: () => boolean): SocketProbe {
  const sockets: ProbedSocket[] = [];
  const violations: string[] = [];
  const liveIds = (): number[] => sockets.filter((s) => s.live).map((s) => s.id);

  function ProbeWebSocket(
    url: string,
    protocols?: string | string[],
    options?: WebSocket.ClientOptions,
  ): WebSocket {
    const id = sockets.length + 1;
    const others = liveIds();
    if (others.length > 0)
      violations.push(
        `socket #${id} was made while #${others.join(', #')} ${others.length > 1 ? 'were' : 'was'} live`,
      );
    const tagged = new URL(url);
    tagged.searchParams.set('probe', String(id));
    const socket = new WebSocket(tagged.toString(), protocols, options);
    const record: ProbedSocket = { id, written: [], live: true, lastHeartbeatAt: undefined };
    sockets.push(record);
    socket.on('close', () => {
      record.live = false;
    });
    const send = socket.send.bind(socket) as (data: string) => void;
    const terminate = socket.terminate.bind(socket);
    socket.send = ((data: string) => {
      if (data === '{"op":10}') record.lastHeartbeatAt = performance.now();
      const n = eventNumber(data, event);
      if (n !== undefined) {
        if (!ready()) violations.push(`event ${n} was written into socket #${id} while not ready`);
        record.written.push(n);
      }
      send(data);
    }) as typeof socket.send;
    socket.terminate = () => {
      record.live = false;
      terminate();
    };
    return socket;
  }

  return {
    WebSocket: ProbeWebSocket as unknown as WebSocketConstructor,
    sockets,
    get live() {
      return liveIds().length;
    },
    get latest() {
      return sockets.at(-1);
    },
    violations,
  };
}

/** The `d.n` of an op 1 frame named `event`, if `text` is one. */
export function eventNumber(text: string, event: string): number | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return undefined;
  }
  const f = frame as { op?: unknown; t?: unknown; d?: { n?: unknown } } | null;
  if (f?.op !== 1 || f.t !== event || typeof f.d?.n !== 'number') return undefined;
  return f.d.n;
}
