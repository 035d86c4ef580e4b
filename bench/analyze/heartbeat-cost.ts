/**
 * Where the CPU of an idle client goes (benchmark 4), without sockets: what one heartbeat cycle
 * (heartbeat timer → write → ACK) costs in each layer.
 *
 * A. the session machine alone: the real chart with a socket actor that does nothing, driven by
 *    XState's SimulatedClock (no timers, no I/O): one cycle = advance the clock one heartbeat period
 *    (the `heartbeatDue` transition re-enters `beat`, which sends HEARTBEAT to the socket actor),
 *    then send ACK.
 * B. A plus a snapshot subscriber computing `statusOf`, as the client's subscription does.
 * E. 1000 session actors on real timers, each with a socket actor that only ACKs: each with its
 *    own `provide()`d machine (as the client did before 1e898c2) or all sharing one (as it does now).
 * C. the whole client with an in-memory WebSocket (answers each heartbeat with an ACK on the next
 *    microtask): N clients with a short interval on real timers; CPU per heartbeat.
 * D. the baseline's equivalent with the same in-memory socket: setInterval → send → JSON.parse of
 *    the ACK → shape check.
 *
 *   node --import tsx bench/analyze/heartbeat-cost.ts
 */
import { createActor, fromCallback, SimulatedClock } from 'xstate';
import { heartbeatPeriod } from '../../machines/heartbeat.js';
import { sessionMachine, type SocketCommand, type SocketInput } from '../../machines/session.machine.js';
import { statusOf } from '../../machines/status.js';
import { reconnectDefaults } from '../../machines/backoff.js';
import { createGatewayClient } from '../../src/index.js';
import { MemorySocket } from '../lib/memory-socket.js';
import { formatNumber, sleep } from '../lib/stats.js';

const INTERVAL = 1_000;

const input = {
  url: 'ws://127.0.0.1:1/?v=1',
  timeouts: { connect: 10_000, hello: 10_000, identify: 10_000 },
  reconnect: reconnectDefaults,
  identifyIsProvider: false,
};
const noopSocket = fromCallback<SocketCommand, SocketInput>(({ receive }) => {
  receive(() => undefined);
});
const sharedMachine = sessionMachine.provide({ actors: { socket: noopSocket } });
/** A socket actor that answers each HEARTBEAT with an ACK on the next microtask, and does nothing else. */
const ackingSocket = fromCallback<SocketCommand, SocketInput>(({ receive, sendBack }) => {
  receive((command) => {
    if (command.type === 'HEARTBEAT') queueMicrotask(() => sendBack({ type: 'ACK', latency: 1 }));
  });
});
const sharedAckingMachine = sessionMachine.provide({ actors: { socket: ackingSocket } });

/**
 * CPU µs per heartbeat of `count` session actors on real timers (interval `interval` ms), each
 * with an acking socket actor and a statusOf subscriber; `shared`: one provided machine for all.
 */
async function actorsPerBeat(
  count: number,
  shared: boolean,
  interval: number,
  windowMs: number,
): Promise<number> {
  let beats = 0;
  const actors = Array.from({ length: count }, () => {
    const machine = shared
      ? sharedAckingMachine
      : sessionMachine.provide({ actors: { socket: ackingSocket } });
    const actor = createActor(machine, { input });
    actor.subscribe((snapshot) => {
      if (statusOf(snapshot) === 'heartbeat-pending') beats++;
    });
    actor.start();
    actor.send({ type: 'START' });
    actor.send({ type: 'OPEN' });
    actor.send({ type: 'HELLO', heartbeatInterval: interval });
    actor.send({ type: 'BOT_CONNECT_SUCCESS' });
    return actor;
  });
  await sleep(2 * interval);
  const b0 = beats;
  const cpu0 = process.cpuUsage();
  await sleep(windowMs);
  const used = process.cpuUsage(cpu0);
  const counted = beats - b0;
  for (const actor of actors) actor.stop();
  return (used.user + used.system) / Math.max(1, counted);
}

/**
 * CPU µs per heartbeat cycle of `actors` session actors on one SimulatedClock: each cycle advances
 * the clock one period (every actor's heartbeat timer fires) and sends each actor its ACK.
 * `shared`: one provided machine for all (else one `provide` per actor, as the client does).
 */
function machineCycle(options: {
  actors: number;
  shared: boolean;
  subscribe: boolean;
  cycles: number;
}): number {
  const clock = new SimulatedClock();
  let statuses = 0;
  const actors = Array.from({ length: options.actors }, () => {
    const machine = options.shared
      ? sharedMachine
      : sessionMachine.provide({ actors: { socket: noopSocket } });
    const actor = createActor(machine, { clock, input });
    if (options.subscribe) {
      actor.subscribe((snapshot) => {
        if (statusOf(snapshot) === 'ready') statuses++;
      });
    }
    actor.start();
    actor.send({ type: 'START' });
    actor.send({ type: 'OPEN' });
    actor.send({ type: 'HELLO', heartbeatInterval: INTERVAL });
    actor.send({ type: 'BOT_CONNECT_SUCCESS' });
    actor.send({ type: 'ACK', latency: 1 });
    return actor;
  });
  const period = heartbeatPeriod(INTERVAL);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < options.cycles; i++) {
    clock.increment(period);
    for (const actor of actors) actor.send({ type: 'ACK', latency: 1 });
  }
  const used = process.cpuUsage(cpu0);
  for (const actor of actors) {
    if (statusOf(actor.getSnapshot()) !== 'ready')
      throw new Error(`machine left ready: ${statusOf(actor.getSnapshot())}`);
    actor.stop();
  }
  if (options.subscribe && statuses === 0) throw new Error('the subscriber never saw ready');
  return (used.user + used.system) / options.cycles / options.actors;
}

async function clientsPerBeat(count: number, interval: number, windowMs: number): Promise<number> {
  MemorySocket.interval = interval;
  const clients = Array.from({ length: count }, () =>
    createGatewayClient({
      url: 'ws://127.0.0.1:1',
      identify: { type: 'bot', key: 'k' },
      WebSocket: MemorySocket,
      onError: () => undefined,
    }),
  );
  await Promise.all(clients.map((c) => c.start()));
  await sleep(2 * interval);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(windowMs);
  const used = process.cpuUsage(cpu0);
  const beats = ((performance.now() - t0) / heartbeatPeriod(interval)) * count;
  await Promise.all(clients.map((c) => c.stop()));
  return (used.user + used.system) / beats;
}

async function rawPerBeat(count: number, interval: number, windowMs: number): Promise<number> {
  let handled = 0;
  const timers = Array.from({ length: count }, () => {
    const socket = { send: (_: string) => queueMicrotask(() => onMessage('{"op":11}')) };
    const onMessage = (text: string): void => {
      const frame = JSON.parse(text) as { op?: unknown };
      if (typeof frame === 'object' && frame.op === 11) handled++;
    };
    return setInterval(() => socket.send('{"op":10}'), interval);
  });
  await sleep(2 * interval);
  const h0 = handled;
  const cpu0 = process.cpuUsage();
  await sleep(windowMs);
  const used = process.cpuUsage(cpu0);
  for (const timer of timers) clearInterval(timer);
  return (used.user + used.system) / Math.max(1, handled - h0);
}

async function run(): Promise<void> {
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const cycle = (actors: number, shared: boolean, subscribe: boolean): string =>
    formatNumber(machineCycle({ actors, shared, subscribe, cycles: Math.max(20, 50_000 / actors) }));
  cycle(1, false, true);
  out('CPU per heartbeat cycle (timer → HEARTBEAT → ACK), µs:');
  out(`A. 1 session actor, machine alone (SimulatedClock):             ${cycle(1, false, false)}`);
  out(`B. 1 actor + a statusOf subscriber (as the client):             ${cycle(1, false, true)}`);
  await actorsPerBeat(100, true, 100, 500);
  out(
    `E. 1000 actors, real timers (100 ms), one provide() each (old):    ${formatNumber(await actorsPerBeat(1_000, false, 100, 3_000))}`,
  );
  out(
    `E. 1000 actors, real timers (100 ms), one shared machine (now):    ${formatNumber(await actorsPerBeat(1_000, true, 100, 3_000))}`,
  );
  out(
    `E. again, one provide() each (old):                                 ${formatNumber(await actorsPerBeat(1_000, false, 100, 3_000))}`,
  );
  out(
    `E. again, one shared machine (now):                                 ${formatNumber(await actorsPerBeat(1_000, true, 100, 3_000))}`,
  );
  await clientsPerBeat(50, 20, 500);
  out(
    `C. whole client, in-memory socket, 200 clients × 20 ms:          ${formatNumber(await clientsPerBeat(200, 20, 3_000))}`,
  );
  out(
    `C. whole client, in-memory socket, 1000 clients × 100 ms:        ${formatNumber(await clientsPerBeat(1_000, 100, 3_000))}`,
  );
  await rawPerBeat(50, 20, 500);
  out(
    `D. baseline, in-memory socket, 200 × 20 ms:                      ${formatNumber(await rawPerBeat(200, 20, 3_000))}`,
  );
}

void run();
