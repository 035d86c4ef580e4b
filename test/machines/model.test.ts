import { isDeepStrictEqual } from 'node:util';
import { createActor, fromCallback, SimulatedClock } from 'xstate';
import {
  sessionMachine,
  type SessionEvent,
  type SessionInput,
  type SocketCommand,
  type SocketInput,
} from '../../machines/session.machine.js';
import { sessionStatuses, statusOf } from '../../machines/status.js';
import {
  allStateNodeIds,
  allTransitionKeys,
  generatePaths,
  initialModel,
  isAfterEvent,
  nextTimer,
  socketEventTypes,
  stepModel,
  transitionKey,
  type Model,
  type ModelEvent,
  type SessionSnapshot,
} from './model-graph.js';

/**
 * Model-based tests: `@xstate/graph` generates paths over the session machine (see
 * model-graph.ts for why the machine is walked together with its pending timers), and each path
 * is replayed on a real actor with a fake socket and a SimulatedClock. Socket events go through
 * the running socket's `sendBack`, client events through `actor.send`, delayed events by moving
 * the clock to the moment their timer is due.
 */

/** The identify key the fake socket closes over, as the real one does: it must never reach a snapshot. */
const KEY = 'ub_live_0123456789abcdefABCDEF0123456789';

/** Sample events. Small numbers keep the graph bounded; no two timers ever fall due at once. */
const samples: readonly SessionEvent[] = [
  { type: 'START' },
  { type: 'STOP' },
  { type: 'RECONNECT' },
  { type: 'GIVE_UP' },
  { type: 'OPEN' },
  // 70 beats four times inside the identify timeout (300); 1000 never does.
  { type: 'HELLO', heartbeatInterval: 70 },
  { type: 'HELLO', heartbeatInterval: 1000 },
  { type: 'ACK', latency: 3 },
  { type: 'BOT_CONNECT_SUCCESS' },
  { type: 'FAULT', reason: { code: 'SOCKET_CLOSED', message: 'closed', fatal: false } },
  { type: 'FAULT', reason: { code: 4004, message: 'bad key', fatal: true } },
  { type: 'FAULT', reason: { code: 4001, message: 'auth', fatal: true, freshIdentifyHelps: true } },
];

function inputFor(identifyIsProvider: boolean): SessionInput {
  return {
    url: 'ws://127.0.0.1:1/?v=1',
    timeouts: { connect: 100, hello: 200, identify: 300 },
    // One retry: both `retriesExhausted` and the 4001 fresh try are a few steps away.
    reconnect: { minDelay: 10, maxDelay: 1000, factor: 2, jitter: 0, maxRetries: 1, minUptime: 150 },
    identifyIsProvider,
  };
}

interface Coverage {
  paths: number;
  steps: number;
  graphStates: number;
  graphEdges: number;
  readonly states: Set<string>;
  readonly transitions: Set<string>;
  /** `status reason-code` pairs seen after a step: what the guarded routes led to. */
  readonly outcomes: Set<string>;
}

function emptyCoverage(): Coverage {
  return {
    paths: 0,
    steps: 0,
    graphStates: 0,
    graphEdges: 0,
    states: new Set(),
    transitions: new Set(),
    outcomes: new Set(),
  };
}

function describeEvent(event: ModelEvent): string {
  if (isAfterEvent(event)) return event.type;
  const { type, ...rest } = event;
  return Object.keys(rest).length ? `${type} ${JSON.stringify(rest)}` : type;
}

const keyLikeProperty = /"(key|token|secret|password|authorization)"\s*:/i;
const keyLikeString = /[A-Za-z0-9_-]{32,}/;

function assertNoKey(snapshot: SessionSnapshot): void {
  const json = JSON.stringify(snapshot);
  if (json.includes(KEY)) throw new Error('the identify key is in the snapshot');
  if (keyLikeProperty.test(json)) throw new Error(`a key-like property is in the snapshot: ${json}`);
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(snapshot.context);
  const suspicious = strings.filter((s) => keyLikeString.test(s));
  if (suspicious.length) throw new Error(`key-like strings in context: ${suspicious.join(', ')}`);
}

/** A SimulatedClock that shows when its pending timeouts are due (the scheduler's `startedAt` is wall time). */
class WatchedClock extends SimulatedClock {
  readonly pending = new Map<number, number>();
  override setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const id = super.setTimeout((...args: unknown[]) => {
      this.pending.delete(id);
      fn(...args);
    }, timeout);
    this.pending.set(id, this.now() + timeout);
    return id;
  }
  override clearTimeout(id: number): void {
    this.pending.delete(id);
    super.clearTimeout(id);
  }
}

/** Cheap deep equality (jest's `expect` costs too much at ~10 checks × 10,000 steps). */
function same(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

const byDue = (a: number, b: number): number => a - b;

/** The fake socket of one path: it counts starts and cleanups and records the commands it gets. */
class FakeSocket {
  started = 0;
  stopped = 0;
  running = 0;
  maxRunning = 0;
  /** The last identify frame: built from the key, and kept here, never in the machine. */
  lastIdentify = '';
  readonly commands: string[] = [];
  sendBack: ((event: SessionEvent) => void) | undefined;

  start(sendBack: (event: SessionEvent) => void, receive: (listener: (c: SocketCommand) => void) => void) {
    this.started++;
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const mine = (event: SessionEvent): void => sendBack(event);
    this.sendBack = mine;
    receive((command) => {
      this.commands.push(command.type);
      // The real socket builds identify from a key it closes over; so does this one.
      if (command.type === 'IDENTIFY') this.lastIdentify = JSON.stringify({ op: 'identify', key: KEY });
    });
    return () => {
      this.stopped++;
      this.running--;
      if (this.sendBack === mine) this.sendBack = undefined;
    };
  }
}

/** The socket of the path being replayed (one machine for all paths: `provide` per path is slow). */
let currentSocket = new FakeSocket();
const machine = sessionMachine.provide({
  actors: {
    socket: fromCallback<SocketCommand, SocketInput>(({ sendBack, receive }) =>
      currentSocket.start(sendBack, receive),
    ),
  },
});

/** Replays one path on a real actor, checking the model's predictions and the invariants after every step. */
function runPath(input: SessionInput, events: readonly ModelEvent[], coverage: Coverage): void {
  const clock = new WatchedClock();
  const socket = new FakeSocket();
  currentSocket = socket;
  const actor = createActor(machine, {
    input,
    clock,
    inspect: (inspection) => {
      if (inspection.type === '@xstate.microstep') {
        for (const t of inspection._transitions) coverage.transitions.add(transitionKey(t));
      }
    },
  });

  let model: Model = initialModel(input);
  const check = (event: ModelEvent | undefined, commandsBefore: number): void => {
    const snapshot = actor.getSnapshot();
    for (const node of snapshot._nodes) coverage.states.add(node.id);

    // The real actor does what the pure model predicted.
    same(snapshot.value, model.snapshot.value, 'state value');
    same(snapshot.context, model.snapshot.context, 'context');
    same(clock.now(), model.now, 'clock');
    const scheduled = Object.values(actor.system.getSnapshot()._scheduledEvents).map((s) => s.id);
    same(scheduled.sort(), model.timers.map((t) => t.id).sort(), 'scheduled timers');
    same(
      [...clock.pending.values()].sort(byDue),
      model.timers.map((t) => t.due).sort(byDue),
      'timer due times',
    );
    same(socket.commands.slice(commandsBefore), model.commands, 'commands sent to the socket');
    same(
      [socket.started, socket.stopped],
      [model.socketsStarted, model.socketsStopped],
      'sockets started, stopped',
    );

    // Invariants.
    const status = statusOf(snapshot);
    coverage.outcomes.add(`${status} ${String(snapshot.context.reason?.code ?? '-')}`);
    if (!(sessionStatuses as readonly string[]).includes(status)) throw new Error(`unknown status ${status}`);
    if (socket.maxRunning > 1) throw new Error(`${socket.maxRunning} sockets ran at once`);
    same(socket.running, socket.started - socket.stopped, 'running sockets');
    const underConnection = snapshot.matches('connection');
    same(socket.running, underConnection ? 1 : 0, 'sockets running under connection (1) or elsewhere (0)');
    same('socket' in snapshot.children, underConnection, 'socket child under connection');
    if (event?.type === 'STOP') {
      same(snapshot.value, 'stopped', 'state after STOP');
      same(socket.running, 0, 'sockets running after STOP');
      same(scheduled, [], 'timers left after STOP');
    }
    assertNoKey(snapshot);
  };

  actor.start();
  check(undefined, 0);
  events.forEach((event, index) => {
    try {
      const commandsBefore = socket.commands.length;
      const before = model;
      model = stepModel(model, event);
      if (isAfterEvent(event)) {
        const timer = nextTimer(before);
        if (!timer) throw new Error('no timer pending');
        clock.increment(timer.due - clock.now());
      } else if (socketEventTypes.has(event.type)) {
        if (!socket.sendBack) throw new Error(`no socket running to send ${event.type}`);
        socket.sendBack(event);
      } else {
        actor.send(event);
      }
      coverage.steps++;
      check(event, commandsBefore);
    } catch (error) {
      const trail = events.map((e, i) => `${i === index ? '>> ' : '   '}${describeEvent(e)}`).join('\n');
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `identifyIsProvider ${input.identifyIsProvider}, step ${index + 1}:\n${trail}\n${message}`,
        {
          cause: error,
        },
      );
    }
  });
  actor.stop();
  coverage.paths++;
}

/** Generates the paths for one input and replays them all. */
function explore(identifyIsProvider: boolean, eventSamples: readonly SessionEvent[]): Coverage {
  const coverage = emptyCoverage();
  const input = inputFor(identifyIsProvider);
  const generated = generatePaths(input, eventSamples);
  coverage.graphStates = generated.states;
  coverage.graphEdges = generated.edges;
  for (const path of generated.paths) runPath(input, path, coverage);
  return coverage;
}

function merge(...parts: Coverage[]): Coverage {
  const all = emptyCoverage();
  for (const part of parts) {
    all.paths += part.paths;
    all.steps += part.steps;
    all.graphStates += part.graphStates;
    all.graphEdges += part.graphEdges;
    part.states.forEach((s) => all.states.add(s));
    part.transitions.forEach((t) => all.transitions.add(t));
    part.outcomes.forEach((o) => all.outcomes.add(o));
  }
  return all;
}

/** What the coverage assertions compare: the chart's state nodes and transitions the runs missed. */
function missing(coverage: Coverage): { states: string[]; transitions: string[] } {
  return {
    states: [...allStateNodeIds()].filter((s) => !coverage.states.has(s)),
    transitions: [...allTransitionKeys()].filter((t) => !coverage.transitions.has(t)),
  };
}

const explored = new Map<boolean, Coverage>();
function exploredFor(identifyIsProvider: boolean): Coverage {
  let coverage = explored.get(identifyIsProvider);
  if (!coverage) {
    coverage = explore(identifyIsProvider, samples);
    explored.set(identifyIsProvider, coverage);
  }
  return coverage;
}

describe('session machine: model-based paths', () => {
  test.each([false, true])(
    'identifyIsProvider %s: every generated path replays on the real machine, invariants hold',
    (identifyIsProvider) => {
      const coverage = exploredFor(identifyIsProvider);
      expect(coverage.paths).toBeGreaterThan(0);
      expect(coverage.steps).toBeGreaterThan(coverage.paths);
    },
  );

  test('the paths visit every state node of the chart and take every transition', () => {
    const coverage = merge(exploredFor(false), exploredFor(true));
    expect(allStateNodeIds().size).toBe(16);
    expect(allTransitionKeys().size).toBe(21);
    expect(missing(coverage)).toEqual({ states: [], transitions: [] });
    // Nothing taken that the chart does not define (the keys name real transitions).
    expect([...coverage.transitions].filter((t) => !allTransitionKeys().has(t))).toEqual([]);
  });

  test('the guarded routes: 4001 earns a provider one fresh try, a fixed key none', () => {
    const fixed = exploredFor(false).outcomes;
    const provider = exploredFor(true).outcomes;
    expect(fixed).toContain('failed 4001');
    expect(fixed).not.toContain('reconnecting 4001');
    expect(provider).toContain('reconnecting 4001');
    expect(provider).toContain('failed 4001');
    for (const outcomes of [fixed, provider]) {
      for (const outcome of [
        'failed 4004',
        'failed RETRIES_EXHAUSTED',
        'reconnecting SOCKET_CLOSED',
        'reconnecting CONNECT_TIMEOUT',
        'reconnecting HELLO_TIMEOUT',
        'reconnecting IDENTIFY_TIMEOUT',
        'reconnecting ZOMBIE_CONNECTION',
        'stopped -',
      ]) {
        expect(outcomes).toContain(outcome);
      }
    }
  });

  test('the coverage check can fail: without ACK samples it reports what is missed', () => {
    const withoutAck = samples.filter((e) => e.type !== 'ACK');
    const coverage = merge(explore(false, withoutAck), explore(true, withoutAck));
    expect(missing(coverage)).toEqual({
      states: ['gateway-session.connection.online.heartbeat.beat.acknowledged'],
      transitions: [
        'gateway-session.connection.online.heartbeat.beat --xstate.after.heartbeatDue.gateway-session.connection.online.heartbeat.beat[1:else]--> gateway-session.connection.online.heartbeat.beat',
        'heartbeat-pending --ACK[0:else]--> gateway-session.connection.online.heartbeat.beat.acknowledged',
      ],
    });
  });
});
