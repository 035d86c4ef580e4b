import type { SessionStatus } from '../../../machines/status.js';

/**
 * Whether a session is ready: `heartbeat-pending` is the part of `ready` between a heartbeat and
 * its ACK, so it counts too.
 *
 * @example
 * if (isSessionReady(context.status)) context.send('send_servers', data);
 */
export function isSessionReady(status: SessionStatus): boolean {
  return status === 'ready' || status === 'heartbeat-pending';
}
