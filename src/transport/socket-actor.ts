import { fromCallback } from 'xstate';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  decodeFrame,
  encodeFrame,
  errorCodeEntry,
  IdentifyData,
  Opcode,
  type ErrorFrame,
  type EventRegistry,
  type GatewayEventFrame,
} from '../protocol/index.js';
import type { SessionEvent, SocketCommand, SocketInput } from '../../machines/session.machine.js';
import type { DisconnectReason } from '../session/reason.js';
import type { ClientConditionCode } from '../conditions.js';
import { closeSocket } from './close-socket.js';
import { createFrameReader } from './inflate.js';
import { ReadyState, type WebSocketConstructor, type WebSocketLike } from './websocket.js';

/** Writes one encoded frame; `false` when the socket is not open (nothing was written). */
export type FrameWriter = (text: string) => boolean;

/** What the socket actor needs from the client. None of it reaches the machine's context. */
export interface SocketDependencies {
  readonly WebSocket: WebSocketConstructor;
  /** Largest frame, inflated or not, in bytes. */
  readonly maxPayload: number;
  readonly events: EventRegistry;
  /** Gets the identify data for this connection. The key lives only in here and in the frame. */
  readonly identify: () => Promise<unknown>;
  /** A gateway event (op 0) for the plugins. */
  readonly dispatch: (frame: GatewayEventFrame) => void;
  /** Reports something that does not change state. */
  readonly report: (reason: DisconnectReason) => void;
  /** Called with a writer when the session is ready and the queue has been written, and with `undefined` when the socket is gone. */
  readonly attach: (writer: FrameWriter | undefined) => void;
  /** Writes the send queue in order through `write`, stopping at the first frame it could not write. */
  readonly flush: (write: FrameWriter) => void;
  /** Hands over a closing socket's promise, so `stop()` can wait for it. */
  readonly track: (closing: Promise<void>) => void;
  /** Current time in ms, for latency. */
  readonly now: () => number;
}

/**
 * The `socket` actor: one WebSocket for one connection. It opens the socket, turns frames into
 * machine events (lifecycle frames) or plugin dispatches (events), writes what the machine asks
 * for, and on exit unbinds every listener before closing, so nothing of an old socket reaches the
 * next connection.
 */
export function createSocketActor(deps: SocketDependencies) {
  return fromCallback<SocketCommand, SocketInput>(({ input, sendBack, receive }) => {
    let live = true;
    let heartbeatSentAt: number | undefined;
    let helloSeen = false;
    // The key this connection identified with, so that nothing the gateway echoes back (an error
    // message, bad data quoted in a decode error) carries it out into reports or the machine.
    let sentKey: string | undefined;
    const scrub = (reason: DisconnectReason): DisconnectReason =>
      sentKey === undefined ? reason : redact(reason, sentKey);
    const emit = (event: SessionEvent): void => {
      if (live) sendBack(event.type === 'FAULT' ? { ...event, reason: scrub(event.reason) } : event);
    };
    const report = (reason: DisconnectReason): void => {
      deps.report(scrub(reason));
    };
    const fault = (
      code: number | ClientConditionCode,
      message: string,
      extra: Partial<DisconnectReason> = {},
    ): void => emit({ type: 'FAULT', reason: { code, message, fatal: false, ...extra } });

    let socket: WebSocketLike;
    try {
      socket = new deps.WebSocket(input.url, undefined, {
        maxPayload: deps.maxPayload,
        perMessageDeflate: false,
      });
    } catch (error) {
      queueMicrotask(() => fault('SOCKET_ERROR', `cannot open ${input.url}: ${messageOf(error)}`));
      return () => {
        live = false;
      };
    }
    // `nodebuffer` avoids a copy per frame in ws; browsers take `arraybuffer`.
    socket.binaryType = typeof socket.terminate === 'function' ? 'nodebuffer' : 'arraybuffer';

    const write: FrameWriter = (text) => {
      if (!live || socket.readyState !== ReadyState.OPEN) return false;
      socket.send(text);
      return true;
    };

    const onGatewayError = (frame: ErrorFrame): void => {
      const code = frame.e ?? 1000;
      const entry = errorCodeEntry(code);
      const reason: DisconnectReason = {
        code,
        message: frame.m ?? entry?.meaning ?? 'the gateway sent an error',
        fatal: entry?.action === 'fail',
        ...(entry?.freshIdentifyHelps === true ? { freshIdentifyHelps: true } : {}),
        ...(frame.m === undefined ? {} : { gatewayMessage: frame.m }),
        ...(frame.d?.errors === undefined ? {} : { errors: frame.d.errors }),
      };
      if (entry?.report === true) report(reason);
      emit({ type: 'FAULT', reason });
    };

    const onText = (raw: string | Uint8Array): void => {
      if (!live) return;
      const decoded = decodeFrame(raw, { sender: 'gateway', events: deps.events });
      if (isLeft(decoded)) {
        const problem = decoded.left;
        if (problem.op === Opcode.Hello && !helloSeen) {
          fault('HELLO_MALFORMED', problem.message);
          return;
        }
        report({ code: 'INVALID_FRAME', message: problem.message, fatal: false });
        return;
      }
      const frame = decoded.right;
      switch (frame.op) {
        case Opcode.Hello:
          if (helloSeen) {
            report({
              code: 'UNEXPECTED_FRAME',
              message: 'a second Hello on one connection was ignored',
              fatal: false,
            });
            return;
          }
          helloSeen = true;
          emit({ type: 'HELLO', heartbeatInterval: frame.d.heartbeat });
          return;
        case Opcode.HeartbeatAck:
          emit({
            type: 'ACK',
            latency: heartbeatSentAt === undefined ? undefined : deps.now() - heartbeatSentAt,
          });
          return;
        case Opcode.Error:
          onGatewayError(frame);
          return;
        case Opcode.GatewayEvent:
          deps.dispatch(frame);
          if (frame.t === 'bot_connect_success') emit({ type: 'BOT_CONNECT_SUCCESS' });
          return;
      }
    };

    const reader = createFrameReader({
      maxPayload: deps.maxPayload,
      onFrame: onText,
      onError: (failure) => {
        if (failure.fatal) fault('INFLATE_FAILED', failure.message);
        else report({ code: 'INFLATE_FAILED', message: failure.message, fatal: false });
      },
    });

    const onOpen = (): void => emit({ type: 'OPEN' });
    const onMessage = (event: { data: unknown }): void => {
      const data = event.data;
      if (typeof data === 'string' || data instanceof Uint8Array || data instanceof ArrayBuffer)
        reader.push(data);
      else
        report({
          code: 'INVALID_FRAME',
          message: 'a message of unsupported type was dropped',
          fatal: false,
        });
    };
    const onClose = (event: { code: number; reason: string }): void => {
      const entry = event.code === 1000 ? undefined : errorCodeEntry(event.code);
      if (entry === undefined) {
        const why = event.reason === '' ? '' : `: ${event.reason}`;
        fault('SOCKET_CLOSED', `the connection closed with code ${event.code}${why}`, {
          closeCode: event.code,
        });
        return;
      }
      fault(entry.code, event.reason === '' ? entry.meaning : event.reason, {
        fatal: entry.action === 'fail',
        closeCode: event.code,
        ...(entry.freshIdentifyHelps ? { freshIdentifyHelps: true } : {}),
      });
    };
    // Errors always come with a close event, which carries what we act on.
    const onError = (): void => undefined;
    socket.addEventListener('open', onOpen);
    socket.addEventListener('message', onMessage);
    socket.addEventListener('close', onClose);
    socket.addEventListener('error', onError);

    const identify = async (): Promise<void> => {
      let data: unknown;
      try {
        data = await deps.identify();
      } catch (error) {
        fault('IDENTIFY_PROVIDER_FAILED', `the identify provider failed: ${messageOf(error)}`);
        return;
      }
      const checked = IdentifyData.decode(data);
      if (isLeft(checked)) {
        fault(
          'IDENTIFY_PROVIDER_FAILED',
          'identify must be { type: string, key: string } (the key is not shown)',
        );
        return;
      }
      sentKey = checked.right.key;
      const frame = encodeFrame({ op: Opcode.ClientEvent, t: 'identify', d: checked.right });
      if (frame._tag === 'Right') write(frame.right);
    };

    receive((command) => {
      switch (command.type) {
        case 'HEARTBEAT':
          if (write('{"op":10}')) heartbeatSentAt = deps.now();
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
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('message', onMessage);
      socket.removeEventListener('close', onClose);
      socket.removeEventListener('error', onError);
      deps.track(closeSocket(socket, 1000));
    };
  });
}

/** `reason` with every occurrence of `key` in its text replaced. */
function redact(reason: DisconnectReason, key: string): DisconnectReason {
  const clean = (text: string): string => text.split(key).join('[key]');
  return {
    ...reason,
    message: clean(reason.message),
    ...(reason.gatewayMessage === undefined ? {} : { gatewayMessage: clean(reason.gatewayMessage) }),
    ...(reason.errors === undefined ? {} : { errors: reason.errors.map(clean) }),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
