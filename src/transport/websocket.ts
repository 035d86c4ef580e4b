/**
 * The part of the WebSocket interface the client uses: what `ws` and the browser's WebSocket
 * share. `terminate` and the constructor's third argument exist only in `ws`.
 */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate?(): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
  removeEventListener(type: string, listener: (...args: never[]) => void): void;
}

/** A WebSocket constructor: `ws`'s, the browser's, or anything with the same shape. */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: { maxPayload?: number; perMessageDeflate?: boolean },
) => WebSocketLike;

/** `readyState` values, which are the same everywhere. */
export const ReadyState = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;
