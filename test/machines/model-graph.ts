import { getAdjacencyMap, getShortestPaths, type AdjacencyValue, type TraversalOptions } from '@xstate/graph';
import {
  fromTransition,
  initialTransition,
  transition,
  type AnyStateNode,
  type AnyTransitionDefinition,
  type EventObject,
  type SnapshotFrom,
  type TransitionSnapshot,
} from 'xstate';
import { sessionMachine, type SessionEvent, type SessionInput } from '../../machines/session.machine.js';

/**
 * Path generation for model-based tests of the session machine.
 *
 * `@xstate/graph` walks a logic's pure `transition` with a mock actor scope, and a machine
 * snapshot does not say which `after` timer is pending or when it is due: a walk of the bare
 * machine would offer every delayed event in every order, most of them impossible on a clock
 * (a heartbeat "firing" before the identify timeout it can never precede). So the walked logic is
 * the real machine's pure `transition()` (xstate's, not a copy of the chart) wrapped with the
 * timers its actions schedule and cancel: a delayed event is offered only when its timer is the
 * next one due, and taking it advances the model's clock to that moment. Every generated path is
 * then something the real actor does under a SimulatedClock.
 */

export type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;

/** The prefix of the event type XState v5 gives an `after` transition. */
export const afterPrefix = 'xstate.after.';

/** A delayed event: `xstate.after.<delay name>.<state node id>`. */
export interface AfterEvent {
  readonly type: `xstate.after.${string}`;
}

export type ModelEvent = SessionEvent | AfterEvent;

export function isAfterEvent(event: EventObject): event is AfterEvent {
  return event.type.startsWith(afterPrefix);
}

/** Events only the socket actor sends (so only while it runs: under `connection`). */
export const socketEventTypes: ReadonlySet<string> = new Set([
  'OPEN',
  'HELLO',
  'ACK',
  'BOT_CONNECT_SUCCESS',
  'FAULT',
]);

/** A timer the machine scheduled (a delayed `raise`), due at `due` on the model's clock. */
export interface Timer {
  readonly id: string;
  readonly event: EventObject;
  readonly due: number;
}

/** What the model expects after a step. */
export interface Model {
  readonly snapshot: SessionSnapshot;
  /** The model's clock, ms: it moves only when a delayed event is taken. */
  readonly now: number;
  /** Pending timers, by id. */
  readonly timers: readonly Timer[];
  /** Commands the last step sent to the socket. */
  readonly commands: readonly string[];
  /** Sockets started and stopped so far. */
  readonly socketsStarted: number;
  readonly socketsStopped: number;
}

interface ActionLike {
  readonly type: string;
  readonly params?: unknown;
}

function paramsOf(action: ActionLike): Record<string, unknown> {
  return typeof action.params === 'object' && action.params !== null
    ? (action.params as Record<string, unknown>)
    : {};
}

function apply(model: Model, snapshot: SessionSnapshot, actions: readonly ActionLike[], now: number): Model {
  let timers = [...model.timers];
  const commands: string[] = [];
  let started = model.socketsStarted;
  let stopped = model.socketsStopped;
  for (const action of actions) {
    const params = paramsOf(action);
    switch (action.type) {
      case 'xstate.raise':
        if (typeof params.delay === 'number') {
          const id = String(params.id);
          timers = timers.filter((t) => t.id !== id);
          timers.push({ id, event: params.event as EventObject, due: now + params.delay });
        }
        break;
      case 'xstate.cancel':
        timers = timers.filter((t) => t.id !== params.sendId);
        break;
      case 'xstate.sendTo':
        commands.push((params.event as EventObject).type);
        break;
      case 'xstate.spawnChild':
        started++;
        break;
      case 'xstate.stopChild':
        stopped++;
        break;
    }
  }
  timers.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { snapshot, now, timers, commands, socketsStarted: started, socketsStopped: stopped };
}

export function initialModel(input: SessionInput): Model {
  const [snapshot, actions] = initialTransition(sessionMachine, input);
  return apply(
    { snapshot, now: 0, timers: [], commands: [], socketsStarted: 0, socketsStopped: 0 },
    snapshot,
    actions,
    0,
  );
}

/** The timer that fires next, if any. Two timers due at once would make the order arbitrary: refused. */
export function nextTimer(model: Model): Timer | undefined {
  const [first, second] = [...model.timers].sort((a, b) => a.due - b.due);
  if (first && second && first.due === second.due) {
    throw new Error(`timers ${first.id} and ${second.id} are both due at ${first.due}: choose other numbers`);
  }
  return first;
}

/** One step of the model: an event now, or a delayed event at its timer's due time. */
export function stepModel(model: Model, event: ModelEvent): Model {
  let now = model.now;
  let delivered: EventObject = event;
  if (isAfterEvent(event)) {
    const timer = nextTimer(model);
    if (timer?.event.type !== event.type) throw new Error(`${event.type} is not the next timer to fire`);
    now = timer.due;
    delivered = timer.event;
    model = { ...model, timers: model.timers.filter((t) => t !== timer) };
  }
  const [snapshot, actions] = transition(sessionMachine, model.snapshot, delivered as SessionEvent);
  return apply(model, snapshot, actions, now);
}

/**
 * The graph key: the state value, the context the guards and delays read, and the pending timers
 * relative to now (they decide which delayed event comes next).
 */
export function keyOf(model: Model): string {
  const { value, context } = model.snapshot;
  const online = model.snapshot.matches({ connection: 'online' });
  return JSON.stringify([
    value,
    context.retries,
    context.freshIdentifyUsed,
    context.identifyIsProvider,
    online ? context.heartbeatInterval : null,
    model.timers.map((t) => [t.id, t.due - model.now]),
  ]);
}

/** Sample events per state: the client's anywhere, the socket's while it runs, the next timer. */
export function eventsFor(model: Model, samples: readonly SessionEvent[]): ModelEvent[] {
  const underConnection = model.snapshot.matches('connection');
  const events: ModelEvent[] = samples.filter((e) => underConnection || !socketEventTypes.has(e.type));
  const timer = nextTimer(model);
  if (timer) events.push({ type: timer.event.type as AfterEvent['type'] });
  return events;
}

export type TimedSnapshot = TransitionSnapshot<Model>;

/** The machine wrapped with its timers, as logic `@xstate/graph` can walk. */
export const timedSessionLogic = fromTransition<Model, ModelEvent, never, SessionInput>(
  (model, event) => stepModel(model, event),
  ({ input }) => initialModel(input),
);

/** The generated paths (event lists, prefixes of other paths dropped) and the size of the graph. */
export interface GeneratedPaths {
  readonly paths: ModelEvent[][];
  readonly states: number;
  readonly edges: number;
}

/**
 * Paths that reach every graph state (`getShortestPaths`) and take every graph edge (the shortest
 * path to each state of `getAdjacencyMap`, then each of its edges).
 */
export function generatePaths(input: SessionInput, samples: readonly SessionEvent[]): GeneratedPaths {
  const options: TraversalOptions<TimedSnapshot, ModelEvent, SessionInput> = {
    input,
    events: (s) => eventsFor(s.context, samples),
    serializeState: (s) => keyOf(s.context),
  };
  // `steps[0]` is a synthetic `xstate.init`; each step holds the event and the state it led to.
  const shortest = new Map<string, ModelEvent[]>();
  for (const path of getShortestPaths(timedSessionLogic, options)) {
    shortest.set(
      keyOf(path.state.context),
      path.steps.slice(1).map((s) => s.event),
    );
  }
  const all: ModelEvent[][] = [...shortest.values()];
  const adjacency = getAdjacencyMap<TimedSnapshot, ModelEvent, SessionInput>(timedSessionLogic, options);
  let edges = 0;
  // The map's keys are branded strings, which `Object.entries` does not see through.
  const entries = Object.entries(adjacency) as [string, AdjacencyValue<TimedSnapshot, ModelEvent>][];
  for (const [key, { transitions }] of entries) {
    const head = shortest.get(key);
    if (!head) throw new Error(`no shortest path to ${key}`);
    const edgesOut = Object.values(transitions) as { event: ModelEvent }[];
    for (const { event } of edgesOut) {
      all.push([...head, event]);
      edges++;
    }
  }
  return { paths: dropPrefixes(all), states: Object.keys(adjacency).length, edges };
}

function dropPrefixes(paths: ModelEvent[][]): ModelEvent[][] {
  const sorted = [...paths].sort((a, b) => b.length - a.length);
  const prefixes = new Set<string>();
  const kept: ModelEvent[][] = [];
  for (const path of sorted) {
    const serial = path.map((e) => JSON.stringify(e));
    if (prefixes.has(serial.join('\n'))) continue;
    kept.push(path);
    for (let i = 0; i <= serial.length; i++) prefixes.add(serial.slice(0, i).join('\n'));
  }
  return kept;
}

/** Every state node of the chart, by id, root included. */
export function allStateNodeIds(root: AnyStateNode = sessionMachine.root): Set<string> {
  const ids = new Set<string>([root.id]);
  for (const child of Object.values(root.states)) for (const id of allStateNodeIds(child)) ids.add(id);
  return ids;
}

/**
 * A transition's name: source, event type, its place among that event's alternatives (so the
 * three guarded FAULT routes are three transitions), guard, targets (`∅` when targetless).
 */
export function transitionKey(t: AnyTransitionDefinition): string {
  const eventType: string = t.eventType;
  const alternatives: readonly AnyTransitionDefinition[] = t.source.transitions.get(eventType) ?? [];
  const index = alternatives.indexOf(t);
  const guard = typeof t.guard === 'string' ? t.guard : t.guard ? 'guard' : 'else';
  const targets = t.target?.map((n: AnyStateNode) => n.id).join(',') ?? '∅';
  return `${t.source.id} --${eventType}[${index}:${guard}]--> ${targets}`;
}

/** Every transition of the chart: `on`, `after` and the root's, in every state node. */
export function allTransitionKeys(root: AnyStateNode = sessionMachine.root): Set<string> {
  const keys = new Set<string>();
  for (const definitions of root.transitions.values())
    for (const t of definitions) keys.add(transitionKey(t));
  for (const child of Object.values(root.states)) for (const key of allTransitionKeys(child)) keys.add(key);
  return keys;
}
