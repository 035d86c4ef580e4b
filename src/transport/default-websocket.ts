import WebSocket from 'ws';
import type { WebSocketConstructor } from './websocket.js';

/** `globalThis.WebSocket` where the runtime has one, else `ws`. */
export function defaultWebSocket(): WebSocketConstructor {
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  return (typeof global === 'function' ? global : WebSocket) as unknown as WebSocketConstructor;
}
