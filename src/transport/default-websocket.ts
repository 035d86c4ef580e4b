import WebSocket from 'ws';
import type { WebSocketConstructor } from './websocket.js';

/** `globalThis.WebSocket` where the runtime has one, else `ws`. */
export function defaultWebSocket(): WebSocketConstructor {
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  return (typeof global === 'function' ? global : WebSocket) as unknown as WebSocketConstructor;
}

/**
 * Whether sockets of `constructor` are `ws`'s, which are EventEmitters: the socket actor then
 * listens for messages with `on('message')`, skipping the `MessageEvent` that `ws`'s
 * `addEventListener` builds for every frame.
 */
export function isWsConstructor(constructor: WebSocketConstructor): boolean {
  return (constructor as unknown) === WebSocket;
}
