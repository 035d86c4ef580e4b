import type { LocalGatewayConnection } from '../../src/testing/index.js';
import { eventNumber, type ProbedSocket } from './probe.js';

/** One `send()` the model made. */
export interface SendRecord {
  /** Its number, `d.n`. */
  readonly n: number;
  /** The client's status when it was made. */
  readonly status: string;
  /** A stop or failure came while it was still unwritten: it may stay unwritten. */
  interrupted: boolean;
}

/** What the client's sends came to. */
export interface DeliveryReport {
  readonly violations: readonly string[];
  /** Events written into a socket and never read by the gateway. */
  readonly lost: number;
  /** Sends that a stop or failure interrupted and that were written after all (the queue survived). */
  readonly heldOverStop: number;
}

/**
 * Checks what the gateway read against what the client wrote, socket by socket (a gateway
 * connection is matched to its socket by the `probe` query parameter):
 * - every event is written at most once, in send order, and only if it was sent;
 * - what a connection read is a prefix of what was written into its socket (in order, nothing
 *   invented, nothing twice), and it came after the connection's identify;
 * - the unread rest is allowed only on a socket the gateway dropped or abandoned (`damaged`): a
 *   frame written into a socket that then died may be lost, nothing else;
 * - every send was written, unless a stop or failure interrupted it.
 */
export function checkDelivery(
  event: string,
  sends: readonly SendRecord[],
  sockets: readonly ProbedSocket[],
  connections: readonly LocalGatewayConnection[],
  damaged: ReadonlySet<number>,
): DeliveryReport {
  const violations: string[] = [];
  const readBySocket = new Map<number, number[]>();
  for (const connection of connections) {
    const read: number[] = [];
    let identified = false;
    for (const frame of connection.frames) {
      if (frame.frame?.op === 1 && frame.frame.t === 'identify') identified = true;
      const n = eventNumber(frame.text, event);
      if (n === undefined) continue;
      if (!identified)
        violations.push(`event ${n} reached connection #${connection.number} before its identify`);
      read.push(n);
    }
    readBySocket.set(Number(connection.query.get('probe')), read);
  }

  const all = sockets.flatMap((socket) => socket.written);
  const written = new Set(all);
  if (written.size !== all.length) violations.push(`some events were written twice: ${all.join(' ')}`);
  if (all.some((n, i) => i > 0 && n <= all[i - 1]!))
    violations.push(`events were written out of send order: ${all.join(' ')}`);
  const sent = new Set(sends.map((send) => send.n));
  for (const n of all) if (!sent.has(n)) violations.push(`event ${n} was written but never sent`);

  let lost = 0;
  for (const socket of sockets) {
    const read = readBySocket.get(socket.id) ?? [];
    if (read.length > socket.written.length || read.some((n, i) => socket.written[i] !== n))
      violations.push(
        `socket #${socket.id}: the gateway read [${read.join(' ')}], the client wrote [${socket.written.join(' ')}]`,
      );
    const unread = socket.written.slice(read.length);
    lost += unread.length;
    if (unread.length > 0 && !damaged.has(socket.id))
      violations.push(
        `socket #${socket.id}: events ${unread.join(' ')} were written and never read, on a connection the gateway neither dropped nor abandoned`,
      );
  }

  let heldOverStop = 0;
  for (const send of sends) {
    if (written.has(send.n)) {
      if (send.interrupted) heldOverStop++;
    } else if (!send.interrupted) {
      violations.push(`send ${send.n} (made while ${send.status}) was never written`);
    }
  }
  return { violations, lost, heldOverStop };
}
