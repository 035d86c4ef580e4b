import { createActor, fromCallback, SimulatedClock } from 'xstate';
import {
  sessionMachine,
  type SessionEvent,
  type SessionInput,
  type SocketCommand,
} from '../../machines/session.machine.js';
import { reconnectDefaults, type ReconnectOptions } from '../../machines/backoff.js';
import { statusOf } from '../../machines/status.js';

/**
 * The session machine with a scripted socket and a simulated clock: a test plays the gateway by
 * sending the events the real socket actor would, and reads back what the machine asked of it.
 */
export function createHarness(
  overrides: { reconnect?: Partial<ReconnectOptions>; identifyIsProvider?: boolean } = {},
) {
  const clock = new SimulatedClock();
  const commands: string[] = [];
  const sockets = { opened: 0, closed: 0, open: 0 };
  const input: SessionInput = {
    url: 'ws://127.0.0.1:1/?v=1',
    timeouts: { connect: 100, hello: 200, identify: 300 },
    reconnect: { ...reconnectDefaults, jitter: 0, ...overrides.reconnect },
    identifyIsProvider: overrides.identifyIsProvider ?? false,
  };
  const socket = fromCallback<SocketCommand, { url: string }>(({ receive }) => {
    sockets.opened++;
    sockets.open++;
    receive((command) => commands.push(command.type));
    return () => {
      sockets.closed++;
      sockets.open--;
    };
  });
  const actor = createActor(sessionMachine.provide({ actors: { socket } }), { input, clock });
  actor.start();
  const send = (event: SessionEvent): void => actor.send(event);
  return {
    actor,
    clock,
    commands,
    sockets,
    send,
    status: () => statusOf(actor.getSnapshot()),
    context: () => actor.getSnapshot().context,
    /** idle → ready over the scripted socket, with the given heartbeat interval. */
    toReady(interval = 1000): void {
      if (statusOf(actor.getSnapshot()) !== 'connecting') send({ type: 'START' });
      send({ type: 'OPEN' });
      send({ type: 'HELLO', heartbeatInterval: interval });
      send({ type: 'ACK', latency: 5 });
      send({ type: 'BOT_CONNECT_SUCCESS' });
    },
    fault(code: number | string, fatal = false, extra: Record<string, unknown> = {}): void {
      send({ type: 'FAULT', reason: { code, message: `fault ${code}`, fatal, ...extra } });
    },
  };
}
