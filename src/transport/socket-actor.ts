import { fromCallback, type ActorSystem } from 'xstate';

/** Any actor system: the key that finds a client's dependencies. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- xstate's own AnyActorSystem, which it does not export
type AnyActorSystem = ActorSystem<any>;
import { isLeft } from '../protocol/either.js';
import {
  decodeFrame,
  encodeFrame,
  errorCodeEntry,
  IdentifyData,
  Opcode,
  type EventRegistry,
  type GatewayEventFrame,
} from '../protocol/index.js';
import type { SessionEvent, SocketCommand, SocketInput } from '../../machines/session.machine.js';
import type { DisconnectReason } from '../session/reason.js';
import type { ClientConditionCode } from '../conditions.js';
import { closeSocket } from './close-socket.js';
import { reasonFromClose, reasonFromErrorFrame, redactReason } from './gateway-reasons.js';
import { createFrameReader } from './inflate.js';
import {
  ReadyState,
  type EmitterWebSocket,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket.js';

/** Writes one encoded frame; `false` when the socket is not open (nothing was written). */
export type FrameWriter = (text: string) => boolean;

/** What the socket actor needs from the client. None of it reaches the machine's context. */
export interface SocketDependencies {
  readonly WebSocket: WebSocketConstructor;
  /** Largest frame, inflated or not, in bytes. */
  readonly maxPayload: number;
  /** The sockets are `ws`'s (EventEmitters): messages are listened to with `on('message')`. */
  readonly emitter: boolean;
  /** How long a closing socket may wait for the peer's close frame before it is destroyed, ms. */
  readonly closeGrace: number;
  readonly events: EventRegistry;
  /** Gets the identify data for this connection. The key lives only in here and in the frame. */
  readonly identify: () => Promise<unknown>;
  /** A gateway event (op 0) for the plugins. */
  readonly dispatch: (frame: GatewayEventFrame) => void;
  /**
   * Reports something that does not change state. `cause` is what a user's code threw (the identify
   * provider's error): it goes to `onError` as the error's `cause`, never into a message or the
   * machine's context.
   */
  readonly report: (reason: DisconnectReason, cause?: unknown) => void;
  /** Called with a writer once the queue has been written on ready, and with `undefined` when the socket is gone. */
  readonly attach: (writer: FrameWriter | undefined) => void;
  /** Writes the send queue in order through `write`, stopping at the first frame it could not write. */
  readonly flush: (write: FrameWriter) => void;
  /** Hands over a closing socket's promise, so `stop()` and the next socket can wait for it. */
  readonly track: (closing: Promise<void>) => void;
  /** Resolves when every socket handed to `track` is closed; `undefined` when none is closing. */
  readonly closing: () => Promise<void> | undefined;
  /** Replaces every key the client identified with by `[key]` (the client's one redactor). */
  readonly redact: (text: string) => string;
  /** Monotonic time in ms, for latency. */
  readonly now: () => number;
  /** Wall-clock time in ms: it jumps across a suspended process, which is what it is read for. */
  readonly wallNow: () => number;
}

/** Each client's dependencies, by the actor system of its session actor. */
const dependencies = new WeakMap<AnyActorSystem, SocketDependencies>();

/**
 * Gives the `socket` actors of one session actor (found by its system) their dependencies. One
 * machine definition, provided once, then serves every client: a provided machine per client
 * cost 27 KB of state nodes each.
 */
export function provideSocketDependencies(system: AnyActorSystem, deps: SocketDependencies): void {
  dependencies.set(system, deps);
}

/**
 * The `socket` actor: one WebSocket for one connection. It opens the socket once the previous one
 * is closed (so there is never more than one), turns frames into machine events (lifecycle
 * frames) or plugin dispatches (events), writes what the machine asks for, and on exit unbinds every
 * listener before closing, so nothing of an old socket reaches the next connection.
 */
export const socketActor = fromCallback<SocketCommand, SocketInput>(
  ({ input, sendBack, receive, system }) => {
    const deps = dependencies.get(system);
    if (deps === undefined) throw new Error('socket actor started without provideSocketDependencies()');
    let live = true;
    let socket: WebSocketLike | undefined;
    let heartbeatInterval: number | undefined;
    let heartbeatSentAt: number | undefined;
    /** Identify went out on this connection: only now may a `bot_connect_success` come. */
    let identifySent = false;
    /** `bot_connect_success` came: the connection is a session; another one is misplaced. */
    let connected = false;
    let lastAckAt: number | undefined;
    // Nothing the gateway echoes back (an error message, bad data quoted in a decode error) may
    // carry a key out into reports or the machine's context.
    const scrub = (reason: DisconnectReason): DisconnectReason => redactReason(reason, deps.redact);
    const emit = (event: SessionEvent): void => {
      if (live)
        sendBack(
          event.type === 'FAULT' ? { ...event, reason: redactReason(event.reason, deps.redact) } : event,
        );
    };
    const report = (code: ClientConditionCode, message: string): void => {
      deps.report(scrub({ code, message, fatal: false }));
    };
    const fault = (reason: DisconnectReason): void => emit({ type: 'FAULT', reason });
    const clientFault = (code: ClientConditionCode, message: string): void =>
      fault({ code, message, fatal: false });

    const write: FrameWriter = (text) => {
      if (!live || socket?.readyState !== ReadyState.OPEN) return false;
      socket.send(text);
      return true;
    };

    const onFrame = (raw: string | Uint8Array): void => {
      if (!live) return;
      const decoded = decodeFrame(raw, { sender: 'gateway', events: deps.events });
      if (isLeft(decoded)) {
        const problem = decoded.left;
        if (problem.op === Opcode.Hello && heartbeatInterval === undefined)
          clientFault('HELLO_MALFORMED', problem.message);
        // The answer to identify, malformed (decision 16): waiting out timeouts.identify would
        // only delay the reconnect that follows anyway.
        else if (problem.t === 'bot_connect_success' && identifySent && !connected)
          clientFault('INVALID_FRAME', problem.message);
        else report('INVALID_FRAME', problem.message);
        return;
      }
      const frame = decoded.right;
      switch (frame.op) {
        case Opcode.Hello:
          if (heartbeatInterval !== undefined) {
            report('UNEXPECTED_FRAME', 'a second Hello on one connection was ignored');
            return;
          }
          heartbeatInterval = frame.d.heartbeat;
          emit({ type: 'HELLO', heartbeatInterval });
          return;
        case Opcode.HeartbeatAck:
          lastAckAt = deps.wallNow();
          emit({
            type: 'ACK',
            latency: heartbeatSentAt === undefined ? undefined : deps.now() - heartbeatSentAt,
          });
          return;
        case Opcode.Error: {
          const reason = reasonFromErrorFrame(frame);
          // The table says which errors the client caused (4003–4005): those are reported too.
          if (typeof reason.code === 'number' && errorCodeEntry(reason.code)?.report === true)
            deps.report(scrub(reason));
          fault(reason);
          return;
        }
        case Opcode.GatewayEvent:
          if (frame.t === 'bot_connect_success') {
            // Only the answer to this connection's identify makes a session; plugins see it once.
            if (!identifySent || connected) {
              report(
                'UNEXPECTED_FRAME',
                connected
                  ? 'a second bot_connect_success on one connection was ignored'
                  : 'a bot_connect_success before identify was sent was ignored',
              );
              return;
            }
            connected = true;
            deps.dispatch(frame);
            emit({ type: 'BOT_CONNECT_SUCCESS' });
            return;
          }
          deps.dispatch(frame);
          return;
      }
    };

    const reader = createFrameReader({
      maxPayload: deps.maxPayload,
      onFrame,
      onError: (failure) => {
        // A broken stream context cannot be repaired: only a new connection has a fresh one.
        if (failure.fatal) clientFault('INFLATE_FAILED', failure.message);
        else report('INFLATE_FAILED', failure.message);
      },
    });

    const onOpen = (): void => emit({ type: 'OPEN' });
    // `ws`'s own listener: a text frame comes as a Buffer of UTF-8 that ws has already validated.
    const onEmitterMessage = (data: unknown, isBinary: boolean): void => {
      if (!isBinary && data instanceof Uint8Array) reader.push(data.toString());
      else onMessage({ data });
    };
    const onMessage = (event: { data: unknown }): void => {
      const data = event.data;
      if (typeof data === 'string' || data instanceof Uint8Array || data instanceof ArrayBuffer)
        reader.push(data);
      else report('INVALID_FRAME', 'a message of unsupported type was dropped');
    };
    // What went wrong comes with the error event; what to do comes with the close that follows.
    let socketError: string | undefined;
    const onError = (event: unknown): void => {
      const error = (event as { error?: { message?: unknown; code?: unknown } } | undefined)?.error;
      if (error?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        socketError = `a frame larger than maxPayload (${deps.maxPayload} bytes) arrived; the socket was closed with 1009`;
      } else if (typeof error?.message === 'string') socketError = error.message;
    };
    const onClose = (event: { code: number; reason: string }): void => {
      const reason = reasonFromClose(event.code, event.reason);
      fault(
        socketError === undefined ? reason : { ...reason, message: `${reason.message} (${socketError})` },
      );
    };

    const open = (): void => {
      if (!live) return;
      try {
        socket = new deps.WebSocket(input.url, undefined, {
          maxPayload: deps.maxPayload,
          perMessageDeflate: false,
        });
      } catch (error) {
        clientFault('SOCKET_ERROR', `cannot open ${input.url}: ${messageOf(error)}`);
        return;
      }
      // `nodebuffer` avoids a copy per frame in ws; browsers take `arraybuffer`.
      socket.binaryType = typeof socket.terminate === 'function' ? 'nodebuffer' : 'arraybuffer';
      socket.addEventListener('open', onOpen);
      if (deps.emitter) (socket as EmitterWebSocket).on('message', onEmitterMessage);
      else socket.addEventListener('message', onMessage);
      socket.addEventListener('close', onClose);
      socket.addEventListener('error', onError);
    };
    // Never two sockets at once: a socket still closing (a half-open one takes up to its grace
    // period) is waited for; the connect timeout runs meanwhile.
    const previous = deps.closing();
    if (previous === undefined) open();
    else void previous.then(open);

    const identify = async (): Promise<void> => {
      let data: unknown;
      try {
        data = await deps.identify();
      } catch (error) {
        // The provider's own message may name the key (a failed fetch quoting its request): it is
        // the cause of the error onError gets, never part of a message or the machine's context.
        const reason: DisconnectReason = {
          code: 'IDENTIFY_PROVIDER_FAILED',
          message: 'the identify provider failed (its error is the cause of the error given to onError)',
          fatal: false,
        };
        if (live) deps.report(reason, error);
        fault(reason);
        return;
      }
      const checked = IdentifyData.decode(data);
      if (isLeft(checked)) {
        // A provider returning the wrong shape is a configuration error: retrying cannot help.
        fault({
          code: 'IDENTIFY_PROVIDER_FAILED',
          message: 'the identify provider must return { type: string, key: string } (the key is not shown)',
          fatal: true,
        });
        return;
      }
      const frame = encodeFrame({ op: Opcode.ClientEvent, t: 'identify', d: checked.right });
      if (frame._tag === 'Right' && write(frame.right)) identifySent = true;
    };

    const heartbeat = (): void => {
      // Timers do not run while a process is suspended (a laptop lid, a stopped container); when it
      // resumes the heartbeat timer fires late. If the last ACK is older than two intervals, the
      // connection is almost surely dead: reconnect now rather than after one more interval.
      const wall = deps.wallNow();
      if (
        lastAckAt !== undefined &&
        heartbeatInterval !== undefined &&
        wall - lastAckAt > 2 * heartbeatInterval
      ) {
        clientFault(
          'ZOMBIE_CONNECTION',
          `the last heartbeat ACK is ${Math.round(wall - lastAckAt)} ms old (was the process suspended?)`,
        );
        return;
      }
      if (write('{"op":10}')) heartbeatSentAt = deps.now();
    };

    receive((command) => {
      switch (command.type) {
        case 'HEARTBEAT':
          heartbeat();
          return;
        case 'IDENTIFY':
          void identify();
          return;
        case 'FLUSH':
          deps.flush(write);
          deps.attach(write);
          return;
      }
    });

    return () => {
      live = false;
      deps.attach(undefined);
      reader.close();
      if (socket === undefined) return;
      socket.removeEventListener('open', onOpen);
      if (deps.emitter) (socket as EmitterWebSocket).off('message', onEmitterMessage);
      else socket.removeEventListener('message', onMessage);
      socket.removeEventListener('close', onClose);
      socket.removeEventListener('error', onError);
      deps.track(closeSocket(socket, 1000, deps.closeGrace));
    };
  },
);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
