/**
 * sessionGraph() (machines/session-graph.ts), the chart the session view draws, against the machine
 * itself: every real snapshot reachable with sample events (timers fired as their `xstate.after`
 * events) is explored with XState's own `transition`, and the changes of public status it
 * takes must be exactly the graph's arrows, each taken by the triggers its label names.
 */
import { initialTransition, transition, type AnyStateNode, type SnapshotFrom } from 'xstate';
import { reconnectDefaults } from '../../machines/backoff.js';
import { sessionGraph } from '../../machines/session-graph.js';
import { sessionMachine, type SessionEvent } from '../../machines/session.machine.js';
import { sessionStatuses, statusOf } from '../../machines/status.js';

type Snapshot = SnapshotFrom<typeof sessionMachine>;

/** Every event the machine takes, with data that makes each guard go either way. */
const samples: SessionEvent[] = [
  { type: 'START' },
  { type: 'STOP' },
  { type: 'RECONNECT' },
  { type: 'GIVE_UP' },
  { type: 'OPEN' },
  { type: 'HELLO', heartbeatInterval: 1000 },
  { type: 'ACK', latency: 5 },
  { type: 'BOT_CONNECT_SUCCESS' },
  { type: 'FAULT', reason: { code: 1006, message: 'dropped', fatal: false } },
  { type: 'FAULT', reason: { code: 4004, message: 'bad key', fatal: true } },
];

/** The events XState sends itself when a delay runs out, one per `after` in the machine. */
function afterEvents(node: AnyStateNode): string[] {
  return [
    ...node.after.map((after) => String(after.eventType)),
    ...Object.values<AnyStateNode>(node.states).flatMap(afterEvents),
  ];
}

/** `xstate.after.heartbeatDue.gateway-session.…` → `after heartbeatDue`, as the graph names it. */
function triggerOf(type: string): string {
  const delay = /^xstate\.after\.([^.]+)\./.exec(type)?.[1];
  return delay === undefined ? type : `after ${delay}`;
}

/** Every change of status seen, `from → to`, with what took it. */
function explore(): Map<string, Set<string>> {
  const input = {
    url: 'ws://127.0.0.1:1/',
    timeouts: { connect: 100, hello: 100, identify: 100 },
    reconnect: { ...reconnectDefaults, maxRetries: 3, jitter: 0 },
    identifyIsProvider: false,
  };
  const events = [
    ...samples,
    ...afterEvents(sessionMachine.root).map((type) => ({ type }) as unknown as SessionEvent),
  ];
  const [start] = initialTransition(sessionMachine, input);
  // Keyed on value and retries: the retry budget decides where a FAULT goes.
  const key = (s: Snapshot): string => JSON.stringify([s.value, s.context.retries]);
  const seen = new Set([key(start)]);
  const queue: Snapshot[] = [start];
  const changes = new Map<string, Set<string>>();
  for (let snapshot = queue.shift(); snapshot !== undefined; snapshot = queue.shift()) {
    for (const event of events) {
      const [next] = transition(sessionMachine, snapshot, event);
      const [from, to] = [statusOf(snapshot), statusOf(next)];
      if (from !== to) {
        const pair = `${from} → ${to}`;
        changes.set(pair, (changes.get(pair) ?? new Set()).add(triggerOf(event.type)));
      }
      if (!seen.has(key(next))) {
        seen.add(key(next));
        queue.push(next);
      }
    }
  }
  return changes;
}

const graph = sessionGraph();
const changes = explore();
const arrows = graph.edges.map((edge) => `${edge.from} → ${edge.to}`);

test('has every public status, in their order', () => {
  expect(graph.states).toEqual(sessionStatuses);
});

test('its arrows are exactly the changes of status the machine takes', () => {
  expect([...arrows].sort()).toEqual([...changes.keys()].sort());
  expect(new Set(arrows).size).toBe(arrows.length);
});

test.each(graph.edges.map((edge) => [`${edge.from} → ${edge.to}`, edge] as const))(
  '%s is taken by each trigger its label names',
  (pair, edge) => {
    for (const trigger of edge.triggers) expect(changes.get(pair)).toContain(trigger);
    expect(edge.label).toBe(edge.triggers.join(', '));
  },
);

test('has the arrows a session lives by, labelled with what takes them', () => {
  const label = (from: string, to: string): string | undefined =>
    graph.edges.find((edge) => edge.from === from && edge.to === to)?.label;
  expect(label('connecting', 'awaiting-hello')).toBe('OPEN');
  expect(label('reconnecting', 'connecting')).toBe('RECONNECT, after reconnectDelay');
  expect(label('identifying', 'ready')).toBe('BOT_CONNECT_SUCCESS');
  expect(label('ready', 'heartbeat-pending')).toBe('after heartbeatDue');
  expect(label('heartbeat-pending', 'ready')).toBe('ACK');
  expect(label('ready', 'reconnecting')).toBe('FAULT');
  for (const status of sessionStatuses.filter((s) => s !== 'stopped'))
    expect(label(status, 'stopped')).toBe('STOP');
  // No arrow keeps the status: RECONNECT while connecting, a heartbeat while identifying.
  expect(graph.edges.filter((edge) => edge.from === edge.to)).toEqual([]);
  // Nothing goes back to idle: only a new client starts there.
  expect(graph.edges.filter((edge) => edge.to === 'idle')).toEqual([]);
});
