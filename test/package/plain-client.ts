import WebSocket from 'ws';
import { within } from './child.js';

/**
 * A frame as protocol.md describes the envelope. This client knows only that document: no code of
 * the package is used to speak to the gateway under test.
 */
export interface Frame {
  op: number;
  d?: unknown;
  e?: number;
  t?: string;
  m?: string;
}

/** A bare `ws` client that queues what it receives, so a test awaits frames instead of sleeping. */
export interface PlainClient {
  /** Resolves with the close code and reason the gateway sent (1006 when the socket just died). */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Everything received, in order, parsed (text that is not JSON is kept as `{ op: NaN, m: text }`). */
  readonly received: Frame[];
  /** The next frame not taken yet. */
  next(timeoutMs?: number): Promise<Frame>;
  /** The next frame not taken yet that `accept`s, skipping the others (ACKs, …). */
  nextWhere(accept: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  send(value: unknown): void;
  sendText(text: string): void;
  /** Sends op 10 now and every `intervalMs` after, until the socket closes. */
  beat(intervalMs: number): void;
  /** Closes with 1000 and waits for the close to finish. */
  close(): Promise<void>;
}

const open = new Set<WebSocket>();

/** Opens a plain client to `url`. */
export function connect(url: string): PlainClient {
  const ws = new WebSocket(url);
  open.add(ws);
  const received: Frame[] = [];
  let taken = 0;
  let wake: (() => void) | undefined;
  let heart: NodeJS.Timeout | undefined;
  ws.on('message', (data: WebSocket.RawData) => {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString();
    try {
      received.push(JSON.parse(text) as Frame);
    } catch {
      received.push({ op: NaN, m: text });
    }
    wake?.();
  });
  // An error (refused connection, …) ends in a close too; the test sees it as a close code.
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code: number, reason: Buffer) => {
      clearInterval(heart);
      open.delete(ws);
      resolve({ code, reason: reason.toString('utf8') });
      wake?.();
    });
  });
  const whenOpen = new Promise<void>((resolve) => {
    if (ws.readyState === WebSocket.OPEN) resolve();
    else ws.once('open', () => resolve());
  });

  async function nextWhere(accept: (frame: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> {
    const wait = async (): Promise<Frame> => {
      for (;;) {
        while (taken < received.length) {
          const frame = received[taken++]!;
          if (accept(frame)) return frame;
        }
        if (ws.readyState === WebSocket.CLOSED)
          throw new Error(`closed before the frame awaited; received ${JSON.stringify(received)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    };
    return within(wait(), timeoutMs, `a frame (received so far: ${JSON.stringify(received)})`);
  }

  const send = (text: string): void => {
    void whenOpen.then(() => {
      ws.send(text);
    });
  };

  return {
    closed,
    received,
    next: (timeoutMs) => nextWhere(() => true, timeoutMs),
    nextWhere,
    send: (value) => {
      send(JSON.stringify(value));
    },
    sendText: send,
    beat(intervalMs) {
      send('{"op":10}');
      heart = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send('{"op":10}');
      }, intervalMs);
    },
    async close() {
      clearInterval(heart);
      if (ws.readyState !== WebSocket.CLOSED) ws.close(1000);
      await within(closed, 3_000, 'the close handshake').catch(() => {
        ws.terminate();
      });
    },
  };
}

/** Terminates every plain client still open: for `afterAll`. */
export function terminateAll(): void {
  for (const ws of open) ws.terminate();
  open.clear();
}
