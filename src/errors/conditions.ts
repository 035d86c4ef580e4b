import type { ChartConditionCode } from '../../machines/reason.js';

/**
 * What the client itself can report or fail with, beside the gateway's own error codes: the one
 * place these codes, names and meanings live. Gateway codes are numbers; these are strings, so the
 * two can never collide.
 */
export const clientConditionTable = {
  CONNECT_TIMEOUT: { name: 'Connect Timeout', meaning: 'The socket did not open in time.' },
  HELLO_TIMEOUT: { name: 'Hello Timeout', meaning: 'The gateway sent no Hello in time.' },
  HELLO_MALFORMED: {
    name: 'Malformed Hello',
    meaning: 'The Hello frame had no heartbeat interval a timer can hold (positive, at most 2^31 − 1 ms).',
  },
  IDENTIFY_TIMEOUT: { name: 'Identify Timeout', meaning: 'No bot_connect_success in time after identify.' },
  IDENTIFY_PROVIDER_FAILED: {
    name: 'Identify Provider Failed',
    meaning: 'The identify provider threw or rejected.',
  },
  ZOMBIE_CONNECTION: {
    name: 'Zombie Connection',
    meaning: 'A heartbeat ACK was still missing when the next heartbeat was due.',
  },
  SOCKET_CLOSED: {
    name: 'Socket Closed',
    meaning: 'The socket closed without an error code of the gateway.',
  },
  SOCKET_ERROR: { name: 'Socket Error', meaning: 'The socket could not be opened or failed.' },
  INFLATE_FAILED: {
    name: 'Inflate Failed',
    meaning: 'A compressed frame could not be inflated, or inflated past maxPayload.',
  },
  RETRIES_EXHAUSTED: { name: 'Retries Exhausted', meaning: 'reconnect.maxRetries was reached.' },
  STOPPED: { name: 'Stopped', meaning: 'stop() was called before the session was ready.' },
  INVALID_FRAME: {
    name: 'Invalid Frame',
    meaning: 'A frame from the gateway did not decode; it was dropped.',
  },
  UNEXPECTED_FRAME: {
    name: 'Unexpected Frame',
    meaning: 'A valid frame arrived where the protocol has no place for it.',
  },
  INVALID_EVENT: { name: 'Invalid Event', meaning: 'Data given to send() does not fit the event codec.' },
  QUEUE_FULL: { name: 'Queue Full', meaning: 'send() was called with queue.max frames already waiting.' },
  PLUGIN_FAILED: {
    name: 'Plugin Failed',
    meaning: 'A plugin handler threw or rejected; the other plugins went on.',
  },
  INVALID_OPTIONS: { name: 'Invalid Options', meaning: 'An option given to createGatewayClient is wrong.' },
  START_TIMEOUT: {
    name: 'Start Timeout',
    meaning: 'start() stopped waiting: no ready session within its timeout. The client keeps trying.',
  },
  START_ABORTED: {
    name: 'Start Aborted',
    meaning: "start()'s signal aborted the wait for a ready session. The client keeps trying.",
  },
  NETWORK_OFFLINE: {
    name: 'Network Offline',
    meaning: 'The browser said it went offline: the connection was ended without waiting for a missed ACK.',
  },
  EVENTS_OVERFLOW: {
    name: 'Events Overflow',
    meaning: 'An events() iterator had its whole buffer waiting for the consumer; it ended there.',
  },
} as const satisfies Record<string, { name: string; meaning: string }>;

/** A code from {@link clientConditionTable}. */
export type ClientConditionCode = keyof typeof clientConditionTable;

/**
 * Compiles only while every code the chart raises itself (`machines/reason.ts`) is in the table
 * above: the chart names its codes without importing the client.
 */
export type ChartCodesInTable<T extends ClientConditionCode = ChartConditionCode> = T;
