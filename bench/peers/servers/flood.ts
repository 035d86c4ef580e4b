/**
 * The flood every peer server shares (inbound events/s): the frames are built before the clock
 * starts (`prepare`), then written straight to the connection's TCP socket (`flood`), many per
 * write. shared/peers.md: one `ws.send` per frame caps every client near 110k events/s on this
 * machine, hiding their differences, and graphql-ws's server awaits each write before the next.
 * The messages are each protocol's own, so the client under test parses and checks them as usual.
 */
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { cpuMicros, listen, tell } from '../../lib/child.js';
import { GUILD_COUNT_FRAME } from '../../lib/frames.js';

/** The data every peer's event carries: ours' GLOBAL_GUILD_COUNT. */
export const GUILD_COUNT = (JSON.parse(GUILD_COUNT_FRAME) as { d: unknown }).d;

/** One text frame from server to client (FIN, unmasked) as bytes. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const n = payload.length;
  let header: Buffer;
  if (n < 126) header = Buffer.from([0x81, n]);
  else if (n < 65_536) header = Buffer.from([0x81, 126, n >> 8, n & 0xff]);
  else {
    header = Buffer.from([0x81, 127, 0, 0, 0, 0, 0, 0, 0, 0]);
    header.writeUIntBE(n, 4, 6);
  }
  return Buffer.concat([header, payload]);
}

/**
 * Frames packed into writes of about 64 KiB that end on a frame boundary: the server library may
 * write a frame of its own (a ping) while the flood waits for `drain`, and it must not land inside one.
 */
function pack(texts: Iterable<string>): Buffer[] {
  const writes: Buffer[] = [];
  let pending: Buffer[] = [];
  let size = 0;
  for (const text of texts) {
    const frame = textFrame(text);
    if (size + frame.length > 65_536 && size > 0) {
      writes.push(Buffer.concat(pending));
      pending = [];
      size = 0;
    }
    pending.push(frame);
    size += frame.length;
  }
  if (size > 0) writes.push(Buffer.concat(pending));
  return writes;
}

/** Where a flood goes: the newest ready connection's socket, and its `count` messages. */
export interface FloodTarget {
  readonly tcp: Socket;
  readonly messages: (count: number) => Iterable<string>;
}

/**
 * Answers the benchmark: `prepare {count}` builds the frames for the target that `target()` resolves
 * to (it waits for one) and answers `prepared`; `flood` writes them with backpressure and answers
 * `flood-stats` with how busy this process was meanwhile (% of one core).
 */
export function serveFloods(target: () => Promise<FloodTarget>): void {
  let prepared: { tcp: Socket; writes: Buffer[] } | undefined;
  listen((message) => {
    if (message.type === 'prepare') {
      void target().then(({ tcp, messages }) => {
        prepared = { tcp, writes: pack(messages(Number(message.count))) };
        tell({ type: 'prepared' });
      });
    } else if (message.type === 'flood' && prepared !== undefined) {
      const { tcp, writes } = prepared;
      prepared = undefined;
      void write(tcp, writes);
    }
  });
}

async function write(tcp: Socket, writes: readonly Buffer[]): Promise<void> {
  const cpu0 = cpuMicros();
  const t0 = performance.now();
  for (const chunk of writes) if (!tcp.write(chunk)) await once(tcp, 'drain');
  const wallMs = performance.now() - t0;
  tell({ type: 'flood-stats', busyPercent: (cpuMicros() - cpu0) / 10 / wallMs });
}

/** Resolves with the value `get` returns once it is defined (checked every 5 ms). */
export async function whenDefined<T>(get: () => T | undefined): Promise<T> {
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
