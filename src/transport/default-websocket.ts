import WebSocket from 'ws';
import type { WebSocketConstructor } from './websocket.js';

/**
 * `ws`, in every Node version. Node 22 and later also have a global `WebSocket` (undici's), but it
 * takes no `maxPayload` (a huge frame is buffered whole before the client can refuse it), cannot
 * destroy a half-open socket (`terminate`) and hands binary frames over as `ArrayBuffer`s: pass it
 * as the `WebSocket` option to use it anyway. The browser build uses the runtime's own instead
 * (`default-websocket.browser.ts`).
 */
export function defaultWebSocket(): WebSocketConstructor {
  return WebSocket as unknown as WebSocketConstructor;
}

/**
 * Whether sockets of `constructor` are `ws`'s, which are EventEmitters: the socket actor then
 * listens for messages with `on('message')`, skipping the `MessageEvent` that `ws`'s
 * `addEventListener` builds for every frame.
 */
export function isWsConstructor(constructor: WebSocketConstructor): boolean {
  // By prototype: `ws` itself, or a Proxy of it, makes plain `ws` sockets; a subclass may override
  // what it listens with, so it keeps the WHATWG interface.
  return (constructor as { prototype?: unknown }).prototype === WebSocket.prototype;
}
