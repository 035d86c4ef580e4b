import type { ClientFrame, GatewayFrame } from '../protocol/index.js';
import type { CompressionForm } from './defaults.js';
import type { GatewayFaults } from './faults.js';
import type { HostileFrameName } from './hostile.js';
import type { GatewayRejection } from './rejection.js';

/**
 * Where a connection stands.
 * - `connected`: the socket is open; Hello may or may not have gone out (see `helloSent`); no identify yet.
 * - `identify-pending`: a good identify came but `bot_connect_success` is withheld (fault `botConnectSuccess`).
 * - `identified`: `bot_connect_success` went out; the connection is a bot and gets `GLOBAL_GUILD_COUNT`.
 * - `closing`: the gateway sent its close (after an error, `close()` or `gateway.close()`).
 * - `closed`: the socket is gone.
 */
export type ConnectionState = 'connected' | 'identify-pending' | 'identified' | 'closing' | 'closed';

/** How a socket ended: the WebSocket close code (1006 when no close frame came) and reason. */
export interface CloseInfo {
  /** The WebSocket close code (1006 when no close frame came). */
  readonly code: number;
  /** The close reason text, often empty. */
  readonly reason: string;
}

/** One frame a client sent, as the gateway read it. */
export interface ReceivedFrame {
  /** `Date.now()` when it arrived. */
  readonly receivedAt: number;
  /** Whether it came as a binary frame. */
  readonly binary: boolean;
  /** Its bytes as UTF-8 text, as sent (an identify's key included: this stays in your test). */
  readonly text: string;
  /** The decoded frame, when it was valid (event data decoded by its codec when it has one). */
  readonly frame: ClientFrame | undefined;
  /** The error it earned, when it was not valid. */
  readonly rejection: GatewayRejection | undefined;
}

/**
 * One client connection to the local gateway: what it sent, where it stands, and controls to make
 * the gateway misbehave on it. Sends resolve `true` once the frame is handed to the socket, `false`
 * when the connection is no longer open; they never reject for a closed socket.
 */
export interface LocalGatewayConnection {
  /** 1 for the gateway's first connection, 2 for the next, … */
  readonly number: number;
  /** The query of the URL the client opened (`v`, `compression`, …). */
  readonly query: URLSearchParams;
  /** How frames to this client are compressed: the gateway's form when it asked `compression=zlib`. */
  readonly compression: CompressionForm | 'none';
  /** Where the connection stands. */
  readonly state: ConnectionState;
  /** Whether Hello has gone out. */
  readonly helloSent: boolean;
  /** `state === 'identified'`. */
  readonly identified: boolean;
  /** The bot id generated at identify success; `undefined` before. */
  readonly botId: string | undefined;
  /** Whether {@link LocalGatewayConnection.goSilent} was called. */
  readonly silent: boolean;
  /** How many heartbeats came. */
  readonly heartbeats: number;
  /**
   * The frames received, in order: the newest `frameHistory` (option; default 1000), none after
   * `goSilent()` (a silent gateway reads nothing).
   */
  readonly frames: readonly ReceivedFrame[];
  /** This connection's faults: a copy of the gateway's at connect time, read when each matters. */
  readonly faults: GatewayFaults;
  /** Resolves when the socket is gone. */
  readonly closed: Promise<CloseInfo>;
  /**
   * The next received frame not handed out yet (each frame once, in order), waiting up to
   * `timeoutMs` (default 5000). Rejects on timeout, when the connection closes first, and once after
   * frames nobody asked for were dropped (option `unclaimedLimit`). Independent of `frames`.
   */
  nextFrame(timeoutMs?: number): Promise<ReceivedFrame>;
  /** Sends a frame, checked by `encodeFrame` (an invalid one rejects) and compressed like every frame. */
  send(frame: GatewayFrame): Promise<boolean>;
  /** Sends an op 0 event. Known names are checked by their codec; use `sendRaw` to send bad data. */
  sendEvent(name: string, data: unknown): Promise<boolean>;
  /** Sends `data` as is, never compressed: a string as a text frame, bytes as a binary frame. */
  sendRaw(data: string | Uint8Array): Promise<boolean>;
  /**
   * Sends an op -1 frame with code `code` (`m` defaults to the code's name, "Malformed data."). It does
   * not close: follow it with `close(code)` to do what the gateway does.
   */
  sendError(
    code: number,
    details?: { message?: string; errors?: readonly string[]; data?: readonly unknown[] },
  ): Promise<boolean>;
  /**
   * Sends the hostile frame `name` (see {@link hostileFrames}): the key this client identified with
   * echoed in an error, a close reason or a wrongly typed field, a value past a limit, a frame out of
   * its place, text full of line breaks. Like `sendError` it does not close, except the
   * `…-close-reason` frames, which are closes. Resolves like `send`; rejects with a one-line `Error`
   * when the frame echoes the key and the client has not identified.
   */
  sendHostile(name: HostileFrameName): Promise<boolean>;
  /**
   * Closes with `code` (default 1000) after the frames already queued; the socket is destroyed if the
   * client does not finish the handshake within `closeTimeout`. Resolves when the socket is gone.
   */
  close(code?: number, reason?: string): Promise<CloseInfo>;
  /**
   * Half-open: the gateway stops reading, answering and sending on this connection and stops
   * enforcing 4006, but keeps the TCP socket open. Pings, heartbeats and even a close frame go
   * unanswered, as with a peer that vanished. The socket ends when the client gives up.
   * Explicit `send*()` and `close()` calls still go out.
   */
  goSilent(): void;
  /** Destroys the TCP socket at once: no close frame, the client sees 1006. */
  drop(): void;
}
