import { ReadyState, type WebSocketLike } from './websocket.js';

/**
 * How long a closing socket may take to finish its close handshake before it is destroyed, ms:
 * the default of the client's `timeouts.close`.
 */
export const CLOSE_GRACE_MS = 1000;

/**
 * Closes a socket the session no longer wants and resolves once it is closed and no timer is left.
 * The caller has already unbound its own listeners, so a dying socket's late events reach nobody;
 * an `error` listener stays on, because `ws` emits one when a socket is closed before it opened.
 * A peer that never answers the close frame (a half-open socket) is destroyed after `grace` ms
 * (default {@link CLOSE_GRACE_MS}) where the implementation can (`ws`'s `terminate`); where it
 * cannot (a browser), it is left to the implementation and the promise resolves anyway.
 */
export function closeSocket(socket: WebSocketLike, code = 1000, grace = CLOSE_GRACE_MS): Promise<void> {
  if (socket.readyState === ReadyState.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const ignore = (): void => undefined;
    const done = (): void => {
      clearTimeout(timer);
      socket.removeEventListener('close', done);
      // Keep `ignore` on: ws can still emit an error after close (e.g. a late write failure).
      resolve();
    };
    const timer = setTimeout(() => {
      socket.terminate?.();
      done();
    }, grace);
    socket.addEventListener('error', ignore);
    socket.addEventListener('close', done);
    if (socket.readyState !== ReadyState.CLOSING) {
      try {
        socket.close(code);
      } catch {
        socket.terminate?.();
      }
    }
  });
}
