import type { SnapshotFrom } from 'xstate';
import type { sessionMachine } from './session.machine.js';

/**
 * The public state names, in the order a session meets them. `status`, the docs and the
 * diagram all use these; the chart is tested against this list.
 */
export const sessionStatuses = [
  'idle',
  'connecting',
  'awaiting-hello',
  'identifying',
  'ready',
  'heartbeat-pending',
  'reconnecting',
  'failed',
  'stopped',
] as const;

/** One of {@link sessionStatuses}. */
export type SessionStatus = (typeof sessionStatuses)[number];

/**
 * The status a snapshot shows. `heartbeat-pending` is the part of `ready` between a heartbeat and
 * its ACK; while identifying, heartbeats run too but the status stays `identifying`.
 */
export function statusOf(snapshot: SnapshotFrom<typeof sessionMachine>): SessionStatus {
  const value = snapshot.value;
  if (typeof value === 'string') return value;
  const connection = value.connection;
  if (typeof connection === 'string') return connection;
  const online = connection.online;
  if (online.phase === 'identifying') return 'identifying';
  // Read from the value, not with snapshot.matches: this runs on every snapshot (twice a beat).
  return online.heartbeat.beat === 'heartbeat-pending' ? 'heartbeat-pending' : 'ready';
}

/**
 * Whether a session is ready: `heartbeat-pending` is the part of `ready` between a heartbeat and
 * its ACK, so it counts too.
 *
 * @example
 * if (isSessionReady(client.status)) client.send('send_servers', data);
 */
export function isSessionReady(status: SessionStatus): boolean {
  return status === 'ready' || status === 'heartbeat-pending';
}

/**
 * The coarse status a UI shows: `connected` while a session is ready (heartbeats included),
 * `connecting` while one is being opened or waited for again (`reconnecting` too), `disconnected`
 * before `start()`, after `stop()` and when the session failed. It changes only when the
 * connection does, never at a heartbeat.
 */
export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected';

/** The {@link ConnectionStatus} of a session status. */
export function connectionOf(status: SessionStatus): ConnectionStatus {
  if (isSessionReady(status)) return 'connected';
  return status === 'idle' || status === 'stopped' || status === 'failed' ? 'disconnected' : 'connecting';
}
