/**
 * The default WebSocket for browsers: the runtime's own. The browser bundle puts this file in place
 * of `default-websocket.ts` (scripts/build.mjs), so `ws` is never part of it.
 */
import { GatewayError } from '../errors/gateway-error.js';
import type { WebSocketConstructor } from './websocket.js';

/** `globalThis.WebSocket`; without one there is nothing to fall back to, so the option is required. */
export function defaultWebSocket(): WebSocketConstructor {
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof global === 'function') return global as WebSocketConstructor;
  throw new GatewayError(
    'INVALID_OPTIONS',
    'this runtime has no global WebSocket: pass a WebSocket constructor as the WebSocket option',
    { fatal: true },
  );
}

/** Browsers have no `ws`: sockets are always listened to with `addEventListener`. */
export function isWsConstructor(_constructor: WebSocketConstructor): boolean {
  return false;
}
