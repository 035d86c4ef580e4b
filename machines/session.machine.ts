import { assign, fromCallback, raise, sendTo, setup, stateIn } from 'xstate';
import type { ChartConditionCode, DisconnectReason } from './reason.js';
import { backoffDelay, type ReconnectOptions } from './backoff.js';
import { heartbeatPeriod } from './heartbeat.js';

/**
 * The session statechart. It is data: every effect is a named action or actor whose real
 * implementation the client provides (the socket: `src/transport/socket-actor.ts`), so the Stately visualizer and the XState inspector can
 * draw it and tests can swap the socket for anything else.
 *
 * Rules that hold by construction:
 * - the socket is invoked by `connection`, so leaving `connection` closes it;
 * - every timer is an `after` transition with a named delay, so leaving a state cancels it;
 * - the key is nowhere here: the client's session holds the identify option (a `#` field), and the
 *   `socket` actor finds that session through its actor system.
 */

/** Timeouts of the handshake, ms. */
export interface SessionTimeouts {
  /** From opening the socket to its `open` event. */
  readonly connect: number;
  /** From `open` to the gateway's Hello. */
  readonly hello: number;
  /** From identify to `bot_connect_success`. */
  readonly identify: number;
}

/** What the machine starts from. Seen by the inspector: never put a secret here. */
export interface SessionInput {
  /** The full URL to open, query included. */
  readonly url: string;
  /** Handshake timeouts, ms. */
  readonly timeouts: SessionTimeouts;
  /** Backoff between connections. */
  readonly reconnect: ReconnectOptions;
  /** Identify comes from a provider that may fetch a fresh key (4001 then gets one more try). */
  readonly identifyIsProvider: boolean;
}

/** The machine's context. Serialised by the inspector: plain data, no key. */
export interface SessionContext extends SessionInput {
  /** Retries since the last session that stayed ready for `minUptime` (0 on the first connection). */
  readonly retries: number;
  /** The wait before the next connection, while `reconnecting`. */
  readonly retryIn: number | undefined;
  /** From the last Hello. */
  readonly heartbeatInterval: number | undefined;
  /** The last heartbeat → ACK round trip, ms. */
  readonly latency: number | undefined;
  /** Why the last connection ended, or why the session failed. */
  readonly reason: DisconnectReason | undefined;
  /** The one extra identify that 4001 earns a provider has been spent. */
  readonly freshIdentifyUsed: boolean;
}

/**
 * Events the machine takes: from the client (`START`, `STOP`, `RECONNECT`, `GIVE_UP`) and from the
 * socket actor.
 */
export type SessionEvent =
  | { type: 'START' }
  | { type: 'STOP' }
  /** `client.reconnect()`: a new connection now, without the backoff wait. */
  | { type: 'RECONNECT' }
  /** `reconnect.shouldRetry` said no: the planned retry is not made. */
  | { type: 'GIVE_UP' }
  | { type: 'OPEN' }
  | { type: 'HELLO'; heartbeatInterval: number }
  | { type: 'ACK'; latency: number | undefined }
  | { type: 'BOT_CONNECT_SUCCESS' }
  | { type: 'FAULT'; reason: DisconnectReason };

/** Commands the machine sends to the socket actor. */
export type SocketCommand = { type: 'HEARTBEAT' } | { type: 'IDENTIFY' } | { type: 'FLUSH' };

/** The socket actor's input. */
export interface SocketInput {
  /** The full URL to open, query included. */
  readonly url: string;
}

function fault(code: ChartConditionCode, message: string): SessionEvent {
  return { type: 'FAULT', reason: { code, message, fatal: false } };
}

/** The session machine, with a placeholder socket; the client provides the real one (`sessionMachine.provide`). */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
  },
  actors: {
    // Placeholder: the client provides the real socket (src/transport/socket-actor.ts). Never started as is.
    socket: fromCallback<SocketCommand, SocketInput>(() => undefined),
  },
  actions: {
    sendHeartbeat: sendTo('socket', { type: 'HEARTBEAT' } satisfies SocketCommand),
    sendIdentify: sendTo('socket', { type: 'IDENTIFY' } satisfies SocketCommand),
    flushQueue: sendTo('socket', { type: 'FLUSH' } satisfies SocketCommand),
    startOver: assign({ retries: 0, retryIn: undefined, reason: undefined, freshIdentifyUsed: false }),
    rememberHello: assign({
      heartbeatInterval: ({ event }) => (event.type === 'HELLO' ? event.heartbeatInterval : undefined),
    }),
    rememberLatency: assign({
      latency: ({ context, event }) => (event.type === 'ACK' ? event.latency : context.latency),
    }),
    markReady: assign({ reason: undefined, retryIn: undefined, freshIdentifyUsed: false }),
    forgetRetries: assign({ retries: 0 }),
    planRetry: assign(({ context, event }) => {
      const reason = event.type === 'FAULT' ? event.reason : context.reason;
      const retries = context.retries + 1;
      return {
        retries,
        reason,
        retryIn: backoffDelay(retries, context.reconnect, Math.random()),
        freshIdentifyUsed: context.freshIdentifyUsed || reason?.freshIdentifyHelps === true,
      };
    }),
    recordFailure: assign({
      retryIn: undefined,
      reason: ({ event, context }) =>
        event.type === 'FAULT' ? { ...event.reason, fatal: true } : context.reason,
    }),
    recordRetriesExhausted: assign({
      retryIn: undefined,
      reason: ({ event, context }) => {
        const last = event.type === 'FAULT' ? event.reason.message : 'unknown';
        return {
          code: 'RETRIES_EXHAUSTED' satisfies ChartConditionCode,
          message: `gave up after ${context.retries} retries (reconnect.maxRetries); last: ${last}`,
          fatal: true,
        } satisfies DisconnectReason;
      },
    }),
    recordStop: assign({ retryIn: undefined }),
    recordGiveUp: assign({
      retryIn: undefined,
      reason: ({ context }) =>
        context.reason === undefined ? undefined : { ...context.reason, fatal: true },
    }),
    connectTimedOut: raise(fault('CONNECT_TIMEOUT', 'the socket did not open within timeouts.connect')),
    helloTimedOut: raise(fault('HELLO_TIMEOUT', 'no Hello within timeouts.hello')),
    identifyTimedOut: raise(fault('IDENTIFY_TIMEOUT', 'no bot_connect_success within timeouts.identify')),
    zombieDetected: raise(fault('ZOMBIE_CONNECTION', 'no heartbeat ACK before the next heartbeat was due')),
  },
  guards: {
    // Reads the verdict the reason carries (errorVerdict, beside the gateway's error table, or the
    // client's own condition); only the fresh identify depends on the chart's own state.
    isFatal: ({ context, event }) => {
      if (event.type !== 'FAULT' || !event.reason.fatal) return false;
      // 4001 with a provider earns one fresh identify, unless no retry is left: then the
      // session fails with the 4001 itself, which says more than "retries exhausted".
      const freshTry =
        event.reason.freshIdentifyHelps === true &&
        context.identifyIsProvider &&
        !context.freshIdentifyUsed &&
        context.retries < context.reconnect.maxRetries;
      return !freshTry;
    },
    retriesExhausted: ({ context }) => context.retries >= context.reconnect.maxRetries,
    ackMissing: stateIn('#heartbeat-pending'),
  },
  delays: {
    connectTimeout: ({ context }) => context.timeouts.connect,
    helloTimeout: ({ context }) => context.timeouts.hello,
    identifyTimeout: ({ context }) => context.timeouts.identify,
    heartbeatDue: ({ context }) => heartbeatPeriod(context.heartbeatInterval ?? 0),
    reconnectDelay: ({ context }) => context.retryIn ?? 0,
    minUptime: ({ context }) => context.reconnect.minUptime,
  },
}).createMachine({
  id: 'gateway-session',
  context: ({ input }) => ({
    ...input,
    retries: 0,
    retryIn: undefined,
    heartbeatInterval: undefined,
    latency: undefined,
    reason: undefined,
    freshIdentifyUsed: false,
  }),
  initial: 'idle',
  on: {
    STOP: { target: '.stopped', actions: 'recordStop' },
  },
  states: {
    idle: {
      on: { START: { target: 'connection', actions: 'startOver' } },
    },
    connection: {
      invoke: { id: 'socket', src: 'socket', input: ({ context }) => ({ url: context.url }) },
      initial: 'connecting',
      on: {
        // A new socket now: leaving and re-entering `connection` closes the old one first.
        RECONNECT: { target: 'connection', reenter: true },
        FAULT: [
          { guard: 'isFatal', target: 'failed', actions: 'recordFailure' },
          { guard: 'retriesExhausted', target: 'failed', actions: 'recordRetriesExhausted' },
          { target: 'reconnecting', actions: 'planRetry' },
        ],
      },
      states: {
        connecting: {
          on: { OPEN: 'awaiting-hello' },
          after: {
            connectTimeout: {
              actions: 'connectTimedOut',
            },
          },
        },
        'awaiting-hello': {
          on: { HELLO: { target: 'online', actions: 'rememberHello' } },
          after: { helloTimeout: { actions: 'helloTimedOut' } },
        },
        online: {
          type: 'parallel',
          states: {
            // First in document order: the first heartbeat goes out before identify.
            heartbeat: {
              initial: 'beat',
              states: {
                beat: {
                  entry: 'sendHeartbeat',
                  initial: 'heartbeat-pending',
                  states: {
                    'heartbeat-pending': {
                      id: 'heartbeat-pending',
                      on: { ACK: { target: 'acknowledged', actions: 'rememberLatency' } },
                    },
                    acknowledged: {},
                  },
                  // Timed from the heartbeat sent, not from its ACK, so beats never drift late.
                  after: {
                    heartbeatDue: [
                      {
                        guard: 'ackMissing',
                        actions: 'zombieDetected',
                      },
                      { target: 'beat', reenter: true },
                    ],
                  },
                },
              },
            },
            phase: {
              initial: 'identifying',
              states: {
                identifying: {
                  entry: 'sendIdentify',
                  on: { BOT_CONNECT_SUCCESS: 'ready' },
                  after: {
                    identifyTimeout: {
                      actions: 'identifyTimedOut',
                    },
                  },
                },
                ready: {
                  entry: ['markReady', 'flushQueue'],
                  after: { minUptime: { actions: 'forgetRetries' } },
                },
              },
            },
          },
        },
      },
    },
    reconnecting: {
      on: {
        RECONNECT: 'connection',
        GIVE_UP: { target: 'failed', actions: 'recordGiveUp' },
      },
      after: { reconnectDelay: 'connection' },
    },
    failed: {
      on: { START: { target: 'connection', actions: 'startOver' } },
    },
    stopped: {
      on: { START: { target: 'connection', actions: 'startOver' } },
    },
  },
});
