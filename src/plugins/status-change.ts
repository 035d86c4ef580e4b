import type { SessionStatus } from '../../machines/status.js';
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
