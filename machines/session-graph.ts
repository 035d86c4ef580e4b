import type { AnyStateNode, AnyTransitionDefinition, SnapshotFrom, StateValue } from 'xstate';
import { sessionMachine } from './session.machine.js';
import { sessionStatuses, statusOf, type SessionStatus } from './status.js';

/**
 * The session chart as a user of the client sees it: the public statuses (`sessionStatuses`) and
 * every change of status the chart allows, read from the machine definition itself, so the session
 * view cannot draw an arrow the machine does not have, nor miss one it has.
 */

/** A change of public status the chart allows. */
export interface SessionEdge {
  /** The status before. */
  readonly from: SessionStatus;
  /** The status after. */
  readonly to: SessionStatus;
  /** What takes it: event names (`OPEN`) and named delays (`after heartbeatDue`), in document order. */
  readonly triggers: readonly string[];
  /** The triggers as one line: `RECONNECT, after reconnectDelay`. */
  readonly label: string;
}

/** The public statuses and every allowed change between them. */
export interface SessionGraph {
  /** Every status, in the order a session meets them (`sessionStatuses`). */
  readonly states: readonly SessionStatus[];
  /** Every change of status, ordered by `from` then `to` in `states`' order. */
  readonly edges: readonly SessionEdge[];
}

let graph: SessionGraph | undefined;

/**
 * The graph of {@link SessionGraph}, derived from `sessionMachine`'s state nodes and transitions.
 *
 * The walk works on configurations (the set of active leaf states: ten of them, as `online` is
 * parallel) rather than on state nodes, because one public status can be several configurations
 * (`identifying` with or without a heartbeat in flight) and one transition can lead to different
 * statuses from each (`BOT_CONNECT_SUCCESS` gives `ready`, or `heartbeat-pending` when the ACK is
 * still due). From the initial configuration, every transition that can be taken (all guarded
 * branches: guards read data) is applied as SCXML does (exit below the transition's domain, enter
 * the targets and their parallel siblings by default), each configuration is named by `statusOf`,
 * and a change that keeps the status (a heartbeat while identifying, `RECONNECT` in `connecting`,
 * a timeout whose only effect is to raise `FAULT`) is left out. Memoised: the machine is constant.
 */
export function sessionGraph(): SessionGraph {
  graph ??= derive(sessionMachine.root);
  return graph;
}

function derive(root: AnyStateNode): SessionGraph {
  const start = defaultLeaves(root);
  const seen = new Map<string, readonly AnyStateNode[]>([[keyOf(start), start]]);
  const queue = [start];
  const triggers = new Map<string, string[]>();
  for (let config = queue.shift(); config !== undefined; config = queue.shift()) {
    const from = publicStatus(config);
    for (const transition of enabled(config)) {
      if (transition.target === undefined || transition.target.length === 0) continue; // actions only
      const next = apply(config, transition);
      const key = keyOf(next);
      if (!seen.has(key)) {
        seen.set(key, next);
        queue.push(next);
      }
      const to = publicStatus(next);
      if (to === from) continue;
      const pair = `${from}>${to}`;
      const list = triggers.get(pair) ?? [];
      const trigger = triggerOf(transition);
      if (!list.includes(trigger)) list.push(trigger);
      triggers.set(pair, list);
    }
  }
  const order = (status: SessionStatus): number => sessionStatuses.indexOf(status);
  const edges = [...triggers].map(([pair, list]): SessionEdge => {
    const [from, to] = pair.split('>') as [SessionStatus, SessionStatus];
    return { from, to, triggers: list, label: list.join(', ') };
  });
  edges.sort((a, b) => order(a.from) - order(b.from) || order(a.to) - order(b.to));
  const reached = new Set([...seen.values()].map(publicStatus));
  return { states: sessionStatuses.filter((status) => reached.has(status)), edges };
}

/** The status `statusOf` gives a snapshot in this configuration (it reads only `value`). */
function publicStatus(config: readonly AnyStateNode[]): SessionStatus {
  return statusOf({ value: valueOf(config) } as SnapshotFrom<typeof sessionMachine>);
}

/** The state value of a configuration: `'idle'`, or nested objects down to each leaf's key. */
function valueOf(config: readonly AnyStateNode[]): StateValue {
  const value: Record<string, StateValue> = {};
  for (const leaf of config) {
    let at = value;
    const path = leaf.path;
    if (path.length === 1) return path[0] as string;
    for (const key of path.slice(0, -2)) at = (at[key] ??= {}) as Record<string, StateValue>;
    at[path[path.length - 2] as string] = path[path.length - 1] as string;
  }
  return value;
}

function keyOf(config: readonly AnyStateNode[]): string {
  return config
    .map((leaf) => leaf.id)
    .sort()
    .join('|');
}

/**
 * The transitions that can be taken in `config`: for each event, from each active leaf up, every
 * transition on it, until a state with an unguarded one (which hides its ancestors' for that event).
 */
function enabled(config: readonly AnyStateNode[]): AnyTransitionDefinition[] {
  const found = new Set<AnyTransitionDefinition>();
  for (const leaf of config) {
    const hidden = new Set<string>();
    for (let node: AnyStateNode | undefined = leaf; node !== undefined; node = node.parent) {
      const here = transitionsOf(node).filter((t) => !hidden.has(String(t.eventType)));
      for (const transition of here) found.add(transition);
      for (const transition of here)
        if (transition.guard === undefined) hidden.add(String(transition.eventType));
    }
  }
  return [...found];
}

/** The configuration after `transition`: the leaves outside its domain stay, its targets are entered. */
function apply(config: readonly AnyStateNode[], transition: AnyTransitionDefinition): AnyStateNode[] {
  const targets = transition.target ?? [];
  const domain = domainOf(transition.source, targets, transition.reenter);
  const kept = config.filter((leaf) => !isDescendant(leaf, domain));
  return [...kept, ...targets.flatMap((target) => enter(target, domain))];
}

/** Where a transition exits and enters below (SCXML's transition domain, as XState computes it). */
function domainOf(source: AnyStateNode, targets: readonly AnyStateNode[], reenter: boolean): AnyStateNode {
  if (!reenter && targets.every((target) => isDescendant(target, source))) return source;
  // The nearest compound (not parallel) proper ancestor of the source that holds every target.
  for (let at = source.parent; at !== undefined; at = at.parent) {
    if (at.type !== 'parallel' && targets.every((target) => isDescendant(target, at))) return at;
  }
  return source.machine.root;
}

/** The leaves entered with `target`, below `domain`: its default leaves, and its parallel siblings'. */
function enter(target: AnyStateNode, domain: AnyStateNode): AnyStateNode[] {
  const leaves = defaultLeaves(target);
  for (
    let child = target, at = target.parent;
    at !== undefined && at !== domain;
    child = at, at = at.parent
  ) {
    if (at.type === 'parallel')
      for (const region of childrenOf(at)) if (region !== child) leaves.push(...defaultLeaves(region));
  }
  return leaves;
}

function defaultLeaves(node: AnyStateNode): AnyStateNode[] {
  if (node.type === 'parallel') return childrenOf(node).flatMap(defaultLeaves);
  if (node.type === 'compound') return node.initial.target.flatMap((target) => enter(target, node));
  return [node];
}

/** `node` is `ancestor` or lies inside it. */
function isDescendant(node: AnyStateNode, ancestor: AnyStateNode): boolean {
  for (let at: AnyStateNode | undefined = node; at !== undefined; at = at.parent)
    if (at === ancestor) return true;
  return false;
}

/**
 * Transitions defined on `node` itself, in definition order: `on` and `after`, then `always`.
 * Shared with the Mermaid diagram (scripts/state-diagram.ts): one reading of the definition.
 */
export function transitionsOf(node: AnyStateNode): AnyTransitionDefinition[] {
  return [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
}

/** The states directly inside `node`; history nodes hold no state of their own. */
export function childrenOf(node: AnyStateNode): AnyStateNode[] {
  return Object.values<AnyStateNode>(node.states).filter((child) => child.type !== 'history');
}

/**
 * What takes a transition, as the chart names it: its event (`OPEN`), `after <delay>` for a named
 * delay (`after heartbeatDue`), `after N ms` for a fixed one, `always` for an eventless one.
 */
export function triggerOf(transition: AnyTransitionDefinition): string {
  // Typed `any` by XState for machines whose event type is `any`; it is always a string.
  const type = String(transition.eventType);
  if (type === '') return 'always';
  if (type.startsWith('xstate.after.')) {
    const delayed = transition.source.after.find((after) => after.eventType === type);
    const delay = delayed?.delay;
    if (typeof delay === 'string') return `after ${delay}`;
    if (typeof delay === 'number') return `after ${delay} ms`;
    return 'after (inline delay)';
  }
  return type;
}
