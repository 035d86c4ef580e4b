import type { SessionEvent, SocketCommand } from '../../machines/session.machine.js';
import type { ClientConditionCode } from '../errors/conditions.js';
import { isLeft } from '../protocol/either.js';
import {
  decodeFrame,
  encodeFrame,
  errorVerdict,
  IdentifyData,
  Opcode,
  type EventRegistry,
  type GatewayEventFrame,
} from '../protocol/index.js';
import type { DisconnectReason } from '../errors/reason.js';
import { closeSocket } from './close-socket.js';
import { reasonFromClose, reasonFromErrorFrame, redactReason } from './gateway-reasons.js';
import {
  createPlainFrameReader,
  type FrameReader,
  type FrameReaderOptions,
  type InflateFailure,
} from './frame-reader.js';
import {
  ReadyState,
  type EmitterWebSocket,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket.js';

/** Writes one encoded frame; `false` when the socket is not open (nothing was written). */
export type FrameWriter = (text: string) => boolean;

/**
 * The one object per client that a connection works for (the client's session): what it needs
 * to open a socket and what it hands back. Nothing of it reaches the machine's context.
 */
export interface ConnectionOwner {
  readonly WebSocket: WebSocketConstructor;
  /** The sockets are `ws`'s (EventEmitters): messages are listened to with `on('message')`. */
  readonly emitter: boolean;
  /** Largest frame, inflated or not, in bytes. */
  readonly maxPayload: number;
  /** How long a closing socket may wait for the peer's close frame before it is destroyed, ms. */
  readonly closeGrace: number;
  /**
   * Takes one debug line per frame in and out (`← …`, `→ …`), when the client traces (`debug:
   * true`); the owner folds, redacts and cuts it. `undefined`: no line is even built.
   */
  readonly trace: ((line: string) => void) | undefined;
  /** The event codecs frames are decoded with. */
  readonly registry: EventRegistry;
  /** The identify data for this connection. The key lives only in here and in the frame. */
  identifyData(): Promise<unknown>;
  /** A gateway event (op 0) for the plugins; `size` is its frame's length as received (after inflating). */
  dispatch(frame: GatewayEventFrame, size: number): void;
  /** Something that does not change state; `cause` is what a user's code threw, when that is why. */
  report(reason: DisconnectReason, cause?: unknown): void;
  /** Hides every key the client identified with. */
  redact(text: string): string;
  /** The session is ready on this connection: write the queue through `write`, then keep it for `send`. */
  opened(write: FrameWriter): void;
  /** The socket is gone: `send` queues again. `closing` settles once the socket is closed. */
  closed(closing: Promise<void>): void;
  /** Settles when every socket handed to `closed` is closed; `undefined` when none is closing. */
  closing(): Promise<void> | undefined;
}

/**
 * One connection: one WebSocket, opened once the previous one is closed (so there is never more
 * than one), its frames turned into machine events (lifecycle frames) or plugin dispatches
 * (events), and what the machine asks for written. `close()` unbinds every listener before
 * closing, so nothing of an old socket reaches the next connection.
 */
export class GatewayConnection {
  #live = true;
  #socket: WebSocketLike | undefined;
  /** Made with the socket: the zlib reader if the URL asks for compression, else the plain one. */
  #reader: FrameReader | undefined;
  /** From this connection's Hello: set once, a second Hello is misplaced. */
  #heartbeatInterval: number | undefined;
  #heartbeatSentAt: number | undefined;
  /** Wall-clock time of the last ACK: it jumps across a suspended process, which is what it is read for. */
  #lastAckAt: number | undefined;
  /** Identify went out on this connection: only now may a `bot_connect_success` come. */
  #identifySent = false;
  /** `bot_connect_success` came: the connection is a session; another one is misplaced. */
  #connected = false;
  /** What went wrong comes with the error event; what to do comes with the close that follows. */
  #socketError: string | undefined;

  readonly #owner: ConnectionOwner;
  readonly #url: string;
  readonly #sendBack: (event: SessionEvent) => void;

  constructor(owner: ConnectionOwner, url: string, sendBack: (event: SessionEvent) => void) {
    this.#owner = owner;
    this.#url = url;
    this.#sendBack = sendBack;
    // Never two sockets at once: a socket still closing (a half-open one takes up to its grace
    // period) is waited for; the connect timeout runs meanwhile. So is the zlib reader, when the
    // URL asks for compression and it is not loaded yet: frames must inflate synchronously once the
    // socket is open, since anything asynchronous between socket and chart would let a close
    // overtake a frame. (`closing()` never rejects: a failure here is the load's.)
    const previous = owner.closing();
    const reader = asksForCompression(url) ? zlibFrameReader() : createPlainFrameReader;
    if (previous === undefined && typeof reader === 'function') this.#open(reader);
    else
      void Promise.all([previous, reader]).then(
        ([, create]) => this.#open(create),
        (error: unknown) =>
          this.#clientFault('INFLATE_FAILED', `cannot load the zlib frame reader: ${messageOf(error)}`),
      );
  }

  /** What the machine asks of this connection. */
  command(command: SocketCommand): void {
    switch (command.type) {
      case 'HEARTBEAT':
        this.#heartbeat();
        return;
      case 'IDENTIFY':
        void this.#identify();
        return;
      case 'FLUSH':
        this.#owner.opened(this.#write);
        return;
    }
  }

  /** Leaves the connection: nothing of this socket reaches anyone after this. */
  close(): void {
    this.#live = false;
    this.#reader?.close();
    const socket = this.#socket;
    if (socket !== undefined) {
      socket.removeEventListener('open', this.#onOpen);
      if (this.#owner.emitter) (socket as EmitterWebSocket).off('message', this.#onEmitterMessage);
      else socket.removeEventListener('message', this.#onMessage);
      socket.removeEventListener('close', this.#onClose);
      socket.removeEventListener('error', this.#onError);
    }
    this.#owner.closed(
      socket === undefined ? Promise.resolve() : closeSocket(socket, 1000, this.#owner.closeGrace),
    );
  }

  /** The writer handed to the session: `false` once this connection is left or its socket not open. */
  readonly #write: FrameWriter = (text) => {
    if (!this.#live || this.#socket?.readyState !== ReadyState.OPEN) return false;
    this.#socket.send(text);
    this.#owner.trace?.(`→ ${text}`);
    return true;
  };

  #open(createReader: CreateFrameReader): void {
    if (!this.#live) return;
    let socket: WebSocketLike;
    try {
      socket = new this.#owner.WebSocket(this.#url, undefined, {
        maxPayload: this.#owner.maxPayload,
        perMessageDeflate: false,
      });
    } catch (error) {
      this.#clientFault('SOCKET_ERROR', `cannot open ${this.#url}: ${messageOf(error)}`);
      return;
    }
    this.#socket = socket;
    this.#reader = createReader({
      maxPayload: this.#owner.maxPayload,
      onFrame: (raw) => this.#frame(raw),
      onError: (failure) => this.#inflateFailed(failure),
    });
    // `nodebuffer` avoids a copy per frame in ws; browsers take `arraybuffer`.
    socket.binaryType = typeof socket.terminate === 'function' ? 'nodebuffer' : 'arraybuffer';
    socket.addEventListener('open', this.#onOpen);
    if (this.#owner.emitter) (socket as EmitterWebSocket).on('message', this.#onEmitterMessage);
    else socket.addEventListener('message', this.#onMessage);
    socket.addEventListener('close', this.#onClose);
    socket.addEventListener('error', this.#onError);
  }

  readonly #onOpen = (): void => this.#emit({ type: 'OPEN' });

  /** `ws`'s own listener: a text frame comes as a Buffer of UTF-8 that ws has already validated. */
  readonly #onEmitterMessage = (data: unknown, isBinary: boolean): void => {
    if (!isBinary && data instanceof Uint8Array) this.#reader?.push(data.toString());
    else this.#onMessage({ data });
  };

  readonly #onMessage = (event: { data: unknown }): void => {
    const data = event.data;
    if (typeof data === 'string' || data instanceof Uint8Array || data instanceof ArrayBuffer)
      this.#reader?.push(data);
    else this.#report('INVALID_FRAME', 'a message of unsupported type was dropped');
  };

  readonly #onError = (event: unknown): void => {
    const error = (event as { error?: { message?: unknown; code?: unknown } } | undefined)?.error;
    if (error?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      this.#socketError = `a frame larger than maxPayload (${this.#owner.maxPayload} bytes) arrived; the socket was closed with 1009`;
    } else if (typeof error?.message === 'string') this.#socketError = error.message;
  };

  readonly #onClose = (event: { code: number; reason: string }): void => {
    const reason = reasonFromClose(event.code, event.reason);
    const why = this.#socketError;
    this.#fault(why === undefined ? reason : { ...reason, message: `${reason.message} (${why})` });
  };

  /** One frame, in the order the socket delivered it (inflated synchronously, so nothing overtakes it). */
  #frame(raw: string | Uint8Array): void {
    if (!this.#live) return;
    const trace = this.#owner.trace;
    if (trace !== undefined) trace(`← ${typeof raw === 'string' ? raw : new TextDecoder().decode(raw)}`);
    const decoded = decodeFrame(raw, { sender: 'gateway', events: this.#owner.registry });
    if (isLeft(decoded)) {
      const problem = decoded.left;
      if (problem.op === Opcode.Hello && this.#heartbeatInterval === undefined)
        this.#clientFault('HELLO_MALFORMED', problem.message);
      // The answer to identify, malformed (decision 16): waiting out timeouts.identify would
      // only delay the reconnect that follows anyway.
      else if (problem.t === 'bot_connect_success' && this.#identifySent && !this.#connected)
        this.#clientFault('INVALID_FRAME', problem.message);
      // A user's codec that threw: its error is the cause, never part of the message.
      else this.#report('INVALID_FRAME', problem.message, problem.cause);
      return;
    }
    const frame = decoded.right;
    switch (frame.op) {
      case Opcode.Hello:
        if (this.#heartbeatInterval !== undefined) {
          this.#report('UNEXPECTED_FRAME', 'a second Hello on one connection was ignored');
          return;
        }
        this.#heartbeatInterval = frame.d.heartbeat;
        this.#emit({ type: 'HELLO', heartbeatInterval: frame.d.heartbeat });
        return;
      case Opcode.HeartbeatAck: {
        const sentAt = this.#heartbeatSentAt;
        // Only an answer to a heartbeat says the connection is alive: a stray ACK before the first
        // one would date the suspend check (#heartbeat) from before Hello.
        if (sentAt !== undefined) this.#lastAckAt = Date.now();
        this.#emit({ type: 'ACK', latency: sentAt === undefined ? undefined : performance.now() - sentAt });
        return;
      }
      case Opcode.Error: {
        const reason = reasonFromErrorFrame(frame);
        // The table says which errors the client caused (4003–4005): those are reported too.
        if (typeof reason.code === 'number' && errorVerdict(reason.code, 'error-frame').report)
          this.#owner.report(this.#scrub(reason));
        this.#fault(reason);
        return;
      }
      case Opcode.GatewayEvent:
        if (frame.t !== 'bot_connect_success') {
          this.#owner.dispatch(frame, raw.length);
          return;
        }
        // Only the answer to this connection's identify makes a session; plugins see it once.
        if (!this.#identifySent || this.#connected) {
          this.#report(
            'UNEXPECTED_FRAME',
            this.#connected
              ? 'a second bot_connect_success on one connection was ignored'
              : 'a bot_connect_success before identify was sent was ignored',
          );
          return;
        }
        this.#connected = true;
        this.#owner.dispatch(frame, raw.length);
        this.#emit({ type: 'BOT_CONNECT_SUCCESS' });
        return;
    }
  }

  #inflateFailed(failure: InflateFailure): void {
    // A broken stream context cannot be repaired: only a new connection has a fresh one.
    if (failure.fatal) this.#clientFault('INFLATE_FAILED', failure.message);
    else this.#report('INFLATE_FAILED', failure.message);
  }

  async #identify(): Promise<void> {
    let data: unknown;
    try {
      data = await this.#owner.identifyData();
    } catch (error) {
      // The provider's own message may name the key (a failed fetch quoting its request): it is
      // the cause of the error onError gets, never part of a message or the machine's context.
      const reason: DisconnectReason = {
        code: 'IDENTIFY_PROVIDER_FAILED',
        message: 'the identify provider failed (its error is the cause of the error given to onError)',
        fatal: false,
      };
      if (this.#live) this.#owner.report(reason, error);
      this.#fault(reason);
      return;
    }
    const checked = IdentifyData.decode(data);
    if (isLeft(checked)) {
      // A provider returning the wrong shape is a configuration error: retrying cannot help.
      this.#fault({
        code: 'IDENTIFY_PROVIDER_FAILED',
        message: 'the identify provider must return { type: string, key: string } (the key is not shown)',
        fatal: true,
      });
      return;
    }
    const frame = encodeFrame({ op: Opcode.ClientEvent, t: 'identify', d: checked.right });
    if (frame._tag !== 'Right' || this.#socket?.readyState !== ReadyState.OPEN || !this.#live) return;
    // Written here, not through `write`: the identify frame is never traced, not even redacted.
    this.#socket.send(frame.right);
    this.#owner.trace?.(`→ {"op":1,"t":"identify"} (the key is not shown)`);
    this.#identifySent = true;
  }

  #heartbeat(): void {
    // Timers do not run while a process is suspended (a laptop lid, a stopped container); when it
    // resumes the heartbeat timer fires late. If the last ACK is older than two intervals, the
    // connection is almost surely dead: reconnect now rather than after one more interval.
    const wall = Date.now();
    const interval = this.#heartbeatInterval;
    if (this.#lastAckAt !== undefined && interval !== undefined && wall - this.#lastAckAt > 2 * interval) {
      this.#clientFault(
        'ZOMBIE_CONNECTION',
        `the last heartbeat ACK is ${Math.round(wall - this.#lastAckAt)} ms old (was the process suspended?)`,
      );
      return;
    }
    if (this.#write('{"op":10}')) this.#heartbeatSentAt = performance.now();
  }

  /** Nothing the gateway echoes back may carry a key out into reports or the machine's context. */
  #scrub(reason: DisconnectReason): DisconnectReason {
    return redactReason(reason, (text) => this.#owner.redact(text));
  }

  #emit(event: SessionEvent): void {
    if (!this.#live) return;
    this.#sendBack(
      event.type === 'FAULT'
        ? { ...event, reason: redactReason(event.reason, (text) => this.#owner.redact(text)) }
        : event,
    );
  }

  #report(code: ClientConditionCode, message: string, cause?: unknown): void {
    this.#owner.report(this.#scrub({ code, message, fatal: false }), cause);
  }

  #fault(reason: DisconnectReason): void {
    this.#emit({ type: 'FAULT', reason });
  }

  #clientFault(code: ClientConditionCode, message: string): void {
    this.#fault({ code, message, fatal: false });
  }
}

/** Makes the frame reader of one connection. */
type CreateFrameReader = (options: FrameReaderOptions) => FrameReader;

/**
 * Whether `url` asks the gateway to compress: `compression=zlib` (what the `compression` option
 * sets), or `encoding=zlib`, an older revision's spelling that a URL given by hand may carry (the
 * local gateway honours both).
 */
function asksForCompression(url: string): boolean {
  let query: URLSearchParams;
  try {
    query = new URL(url).searchParams;
  } catch {
    return false; // `open` reports the URL.
  }
  return query.get('compression') === 'zlib' || query.get('encoding') === 'zlib';
}

/**
 * The zlib frame reader (`inflate.ts`), once loaded. Loaded by the first connection that asks for
 * compression: in the browser build it is `inflate.browser.ts` with pako, a chunk of its own, so a
 * page that never asks never fetches pako. In Node the import is part of the bundle.
 */
let zlibReader: CreateFrameReader | undefined;
let zlibLoading: Promise<CreateFrameReader> | undefined;

/** The zlib frame reader, or its load in progress; a failed load is tried again by the next connection. */
function zlibFrameReader(): CreateFrameReader | Promise<CreateFrameReader> {
  if (zlibReader !== undefined) return zlibReader;
  zlibLoading ??= import('./inflate.js').then(
    (module) => (zlibReader = module.createFrameReader),
    (error: unknown) => {
      zlibLoading = undefined;
      throw error;
    },
  );
  return zlibLoading;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
