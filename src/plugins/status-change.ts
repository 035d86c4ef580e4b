import type { ConnectionStatus, SessionStatus } from '../../machines/status.js';
import type { GatewayError } from '../errors/gateway-error.js';

/** A status change, as `subscribe` listeners and plugins' `onStatus` get it. */
export interface StatusChange {
  /** The status now. */
  readonly status: SessionStatus;
  /** The status before this change. */
  readonly previous: SessionStatus;
  /** Why the last connection ended (with `reconnecting`) or why the session failed (with `failed`). */
  readonly reason?: GatewayError;
  /** With `reconnecting`: ms until the next connection. */
  readonly retryIn?: number;
}

/** A change of the coarse connection status, as `onConnection` listeners get it. */
export interface ConnectionChange {
  /** The connection status now. */
  readonly connection: ConnectionStatus;
  /** The connection status before this change. */
  readonly previous: ConnectionStatus;
  /** The session status behind it (`reconnecting`, `failed`, …). */
  readonly status: SessionStatus;
  /** Why the connection was lost (with `connecting` after `connected`) or why the session failed. */
  readonly reason?: GatewayError;
  /** While reconnecting: ms until the next connection. */
  readonly retryIn?: number;
}
