/**
 * The part of the WebSocket interface the client uses: what `ws` and the browser's WebSocket
 * share. `terminate` and the constructor's third argument exist only in `ws`.
 */
export interface WebSocketLike {
  /** CONNECTING, OPEN, CLOSING or CLOSED (see {@link ReadyState}). */
  readonly readyState: number;
  /** How binary messages arrive: `nodebuffer` in `ws`, `arraybuffer` in browsers. */
  binaryType: string;
  /** Writes one text frame. */
  send(data: string): void;
  /** Starts the close handshake. */
  close(code?: number, reason?: string): void;
  /** Destroys the socket at once (`ws` only). */
  terminate?(): void;
  /** Listens for open. */
  addEventListener(type: 'open', listener: () => void): void;
  /** Listens for message. */
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  /** Listens for close. */
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  /** Listens for error. */
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
  /** Stops listening. */
  removeEventListener(type: string, listener: (...args: never[]) => void): void;
}

/** What `ws`'s sockets add: they are EventEmitters, whose `message` listeners get no event object. */
export interface EmitterWebSocket extends WebSocketLike {
  /** Listens for message: the data (a `Buffer` for text too) and whether the frame was binary. */
  on(type: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  /** Stops listening. */
  off(type: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
}

/** A WebSocket constructor: `ws`'s, the browser's, or anything with the same shape. */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: { maxPayload?: number; perMessageDeflate?: boolean },
) => WebSocketLike;

/** `readyState` values, which are the same everywhere. */
export const ReadyState = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;
