import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { childrenOf, transitionsOf, triggerOf } from '../machines/session-graph.js';
import { sessionMachine } from '../machines/session.machine.js';

/**
 * A Mermaid `stateDiagram-v2` drawn from a machine definition, so the diagram in docs/machine.md
 * cannot say something the chart does not. Pure: same machine, same text, byte for byte.
 *
 * What is drawn, and how:
 * - every state node, in document order; compound states as boxes with `[*] -->` their initial
 *   state, parallel states with `--` between their regions, final states with `--> [*]`;
 * - ids are paths (`connection__online__phase__ready`): nested names may repeat under different
 *   parents, and Mermaid ids cannot hold dashes, so every state is declared as
 *   `state "awaiting-hello" as connection__awaiting_hello` and shows its own name;
 * - every transition, labelled `EVENT [guard] / action, action`; an `after` transition is labelled
 *   with its named delay (`after heartbeatInterval`), an eventless one `always`;
 * - a transition without a target (actions only) is a loop on its source; a re-entering one says
 *   `(reenter)`;
 * - a transition defined on a state applies in all of its descendants: one defined on the root
 *   (`STOP`) is drawn from each top-level state; one defined on a compound state towards a state
 *   outside it starts at the box;
 * - entry actions and invoked actors are listed under the state's name.
 */
export function machineDiagram(): string {
  return stateDiagram(sessionMachine.root);
}

/** {@link machineDiagram} for any machine's root state node. */
export function stateDiagram(root: AnyStateNode): string {
  const ids = stateIds(root);
  const lines: string[] = ['stateDiagram-v2'];
  const idOf = (node: AnyStateNode): string => ids.get(node) ?? fail(`no id for ${node.id}`);

  // Per box, its arrows; two transitions between the same pair of states share one arrow (Mermaid
  // draws a second loop on a state over the first), their labels one line each, in document order.
  const edges = new Map<AnyStateNode, Map<string, string[]>>();
  for (const node of allNodes(root)) {
    for (const transition of transitionsOf(node)) {
      for (const edge of edgesOf(transition, root)) {
        const box = edges.get(edge.within) ?? new Map<string, string[]>();
        edges.set(edge.within, box);
        const arrow = `${idOf(edge.from)} --> ${idOf(edge.to)}`;
        box.set(arrow, [...(box.get(arrow) ?? []), edge.label]);
      }
    }
  }

  const block = (parent: AnyStateNode, depth: number): void => {
    const pad = '  '.repeat(depth);
    const children = childrenOf(parent);
    if (parent.type === 'compound') {
      const initial = parent.initial.target[0];
      if (initial !== undefined) lines.push(`${pad}[*] --> ${idOf(initial)}`);
    }
    children.forEach((child, index) => {
      if (parent.type === 'parallel' && index > 0) lines.push(`${pad}--`);
      const notes = notesOf(child);
      const box = child.type === 'compound' || child.type === 'parallel';
      // Mermaid refuses a description on a box (and draws notes far from it): its title says it.
      const title = box ? [child.key, ...notes].join('<br/>') : child.key;
      lines.push(`${pad}state ${JSON.stringify(title)} as ${idOf(child)}`);
      if (!box) for (const line of notes) lines.push(`${pad}${idOf(child)} : ${line}`);
      if (box) {
        lines.push(`${pad}state ${idOf(child)} {`);
        block(child, depth + 1);
        lines.push(`${pad}}`);
      }
      if (child.type === 'final') lines.push(`${pad}${idOf(child)} --> [*]`);
    });
    for (const [arrow, labels] of edges.get(parent) ?? [])
      lines.push(`${pad}${arrow} : ${labels.join('<br/>')}`);
  };
  block(root, 1);
  return `${lines.join('\n')}\n`;
}

/** One arrow: drawn inside the box of `within`, between two of its children. */
interface Edge {
  readonly within: AnyStateNode;
  readonly from: AnyStateNode;
  readonly to: AnyStateNode;
  readonly label: string;
}

function edgesOf(transition: AnyTransitionDefinition, root: AnyStateNode): Edge[] {
  const source = transition.source;
  const label = labelOf(transition);
  const targets = transition.target ?? [];
  // No target: the actions run and the state stays. Drawn as a loop, the only arrow Mermaid has.
  if (targets.length === 0) return [{ within: parentOf(source, root), from: source, to: source, label }];
  return targets.flatMap((target): Edge[] => {
    if (target === source && source !== root) {
      return [{ within: parentOf(source, root), from: source, to: source, label }];
    }
    if (source === root || isAncestor(source, target)) {
      // Defined on an ancestor of its target: it is taken in whichever child is active.
      const to = childOnPath(source, target);
      const note = to === target ? label : `${label} (to ${target.path.join('.')})`;
      return childrenOf(source).map((from) => ({ within: source, from, to, label: note }));
    }
    const within = commonAncestor(source, target, root);
    const from = childOnPath(within, source);
    const to = childOnPath(within, target);
    // Mermaid cannot draw an arrow into another box's inside: the arrow goes to the box, and the
    // label names where it really ends.
    const note = to === target ? label : `${label} (to ${target.path.join('.')})`;
    return [{ within, from, to, label: note }];
  });
}

/** `EVENT [guard] / action, action`, with `after <delay>` for delayed transitions. */
function labelOf(transition: AnyTransitionDefinition): string {
  const parts = [triggerOf(transition)];
  if (transition.guard !== undefined) parts.push(`[${nameOf(transition.guard, 'guard')}]`);
  const actions = transition.actions.map((action) => nameOf(action, 'action'));
  if (actions.length > 0) parts.push(`/ ${actions.join(', ')}`);
  if (transition.reenter && transition.target !== undefined) parts.push('(reenter)');
  return parts.join(' ');
}

/** The name a guard or action was given in `setup()`, or what kind of inline thing it is. */
function nameOf(thing: unknown, kind: string): string {
  if (typeof thing === 'string') return thing;
  if (typeof thing === 'object' && thing !== null && typeof (thing as { type?: unknown }).type === 'string') {
    return (thing as { type: string }).type;
  }
  // Built-ins (assign, raise, stateIn…) used inline carry their kind in `type` on the function.
  // A function's own name is not used: JS names an inline arrow after its key (`guard`).
  const type = typeof thing === 'function' ? (thing as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : `inline ${kind}`;
}

/** Lines under a state's name: what happens on entry, and which actors live while it is active. */
function notesOf(node: AnyStateNode): string[] {
  const notes: string[] = [];
  // From the config: `node.entry` also holds the raises XState adds to schedule `after` timers.
  const configured: unknown = node.config.entry;
  const entry = (Array.isArray(configured) ? configured : configured === undefined ? [] : [configured]).map(
    (action: unknown) => nameOf(action, 'action'),
  );
  if (entry.length > 0) notes.push(`entry / ${entry.join(', ')}`);
  for (const invoke of node.invoke) {
    const src = typeof invoke.src === 'string' ? invoke.src : 'inline actor';
    notes.push(invoke.id === src ? `invoke ${src}` : `invoke ${src} as ${invoke.id}`);
  }
  return notes;
}

function allNodes(root: AnyStateNode): AnyStateNode[] {
  return [root, ...childrenOf(root).flatMap(allNodes)];
}

function parentOf(node: AnyStateNode, root: AnyStateNode): AnyStateNode {
  return node.parent ?? root;
}

function isAncestor(ancestor: AnyStateNode, node: AnyStateNode): boolean {
  for (let at = node.parent; at !== undefined; at = at.parent) if (at === ancestor) return true;
  return false;
}

/** The deepest state whose box holds both `a` and `b` as descendants (never `a` or `b` itself). */
function commonAncestor(a: AnyStateNode, b: AnyStateNode, root: AnyStateNode): AnyStateNode {
  for (let at = a.parent; at !== undefined; at = at.parent) if (isAncestor(at, b)) return at;
  return root;
}

/** The child of `ancestor` that is `node` or holds it. */
function childOnPath(ancestor: AnyStateNode, node: AnyStateNode): AnyStateNode {
  let at = node;
  while (at.parent !== undefined && at.parent !== ancestor) at = at.parent;
  return at;
}

/** Path-based Mermaid ids, checked to be unique (`a-b` and `a_b` would both become `a_b`). */
function stateIds(root: AnyStateNode): Map<AnyStateNode, string> {
  const ids = new Map<AnyStateNode, string>();
  const taken = new Map<string, string>();
  for (const node of allNodes(root)) {
    if (node === root) continue;
    const id = node.path.map((key) => key.replace(/[^A-Za-z0-9]/g, '_')).join('__');
    const other = taken.get(id);
    if (other !== undefined) fail(`states ${other} and ${node.path.join('.')} would both be drawn as ${id}`);
    taken.set(id, node.path.join('.'));
    ids.set(node, id);
  }
  return ids;
}

function fail(message: string): never {
  throw new Error(`machine diagram: ${message}`);
}

/** The markers around the generated block in docs/machine.md. */
export const diagramStart =
  '<!-- machine-diagram:start: generated by `npm run docs:machine`, do not edit -->';
export const diagramEnd = '<!-- machine-diagram:end -->';

/** `diagram` as it stands in the doc, between the markers. */
export function diagramBlock(diagram: string): string {
  return `${diagramStart}\n\n\`\`\`mermaid\n${diagram}\`\`\`\n\n${diagramEnd}`;
}

/** `doc` with the text between the markers replaced by `diagram`; the rest is left as it was. */
export function withDiagram(doc: string, diagram: string): string {
  const { before, after } = split(doc);
  return `${before}${diagramBlock(diagram)}${after}`;
}

/**
 * The diagram committed in `doc`: the Mermaid text of its marked block, or the whole block as it
 * stands when that is not a block {@link diagramBlock} would write (so a comparison fails).
 */
export function committedDiagram(doc: string): string {
  const { block } = split(doc);
  const prefix = `${diagramStart}\n\n\`\`\`mermaid\n`;
  const suffix = `\`\`\`\n\n${diagramEnd}`;
  return block.startsWith(prefix) && block.endsWith(suffix)
    ? block.slice(prefix.length, block.length - suffix.length)
    : block;
}

/** Whether the marked block of `doc` is exactly what {@link withDiagram} would write for `diagram`. */
export function diagramIsFresh(doc: string, diagram: string): boolean {
  return split(doc).block === diagramBlock(diagram);
}

function split(doc: string): { before: string; block: string; after: string } {
  const start = doc.indexOf(diagramStart);
  const end = doc.indexOf(diagramEnd);
  if (start === -1 || end < start || doc.indexOf(diagramStart, start + 1) !== -1) {
    fail(`docs need exactly one "${diagramStart}" followed by "${diagramEnd}"`);
  }
  const stop = end + diagramEnd.length;
  return { before: doc.slice(0, start), block: doc.slice(start, stop), after: doc.slice(stop) };
}
