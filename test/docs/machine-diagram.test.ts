import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMachine } from 'xstate';
import { sessionMachine } from '../../machines/session.machine.js';
import { sessionStatuses } from '../../machines/status.js';
import {
  committedDiagram,
  diagramEnd,
  diagramIsFresh,
  diagramStart,
  machineDiagram,
  stateDiagram,
  withDiagram,
} from '../../scripts/state-diagram.js';

const docPath = join(__dirname, '../../docs/machine.md');
const committed = readFileSync(docPath, 'utf8');
const diagram = machineDiagram();
/** The doc as it should be: the cases below must not depend on whether it is. */
const doc = withDiagram(committed, diagram);

test('the README shows the same diagram (else run `npm run docs:machine`)', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  expect(committedDiagram(readme)).toBe(diagram);
  expect(diagramIsFresh(readme, diagram)).toBe(true);
});

describe('the diagram in docs/machine.md', () => {
  test('is the one the machine draws today (else run `npm run docs:machine`)', () => {
    // The string comparison first, for a readable diff; then the exact block, markers included.
    expect(committedDiagram(committed)).toBe(diagram);
    expect(diagramIsFresh(committed, diagram)).toBe(true);
  });

  test('a stale diagram is caught: a transition gone, a label changed, a state added', () => {
    const stale = [
      doc.replace(/\n *connection --> reconnecting : FAULT \/ planRetry/, ''),
      doc.replace('after heartbeatDue [ackMissing]', 'after heartbeatDue'),
      doc.replace('  [*] --> idle\n', '  [*] --> idle\n  state "paused" as paused\n'),
      withDiagram(doc, diagram.replace('stopped --> connection', 'stopped --> idle')),
    ];
    for (const text of stale) {
      expect(text).not.toBe(doc);
      expect(diagramIsFresh(text, diagram)).toBe(false);
      expect(committedDiagram(text)).not.toBe(diagram);
    }
  });

  test('a block that was hand-edited around the fence is stale too, and missing markers throw', () => {
    expect(diagramIsFresh(doc.replace('```mermaid\n', '```mermaid\n\n'), diagram)).toBe(false);
    expect(() => diagramIsFresh(doc.replace(diagramEnd, ''), diagram)).toThrow(/machine diagram/);
    expect(() => diagramIsFresh(doc.replace(diagramStart, ''), diagram)).toThrow(/machine diagram/);
    expect(() => diagramIsFresh(`${doc}\n${diagramStart}\n${diagramEnd}\n`, diagram)).toThrow(/exactly one/);
  });

  test('regenerating changes only the marked block: the prose around it stays', () => {
    const edited = doc.replace('# The session machine', '# The session machine, edited by hand');
    const stale = withDiagram(edited, 'stateDiagram-v2\n  [*] --> idle\n');
    expect(diagramIsFresh(stale, diagram)).toBe(false);
    const fixed = withDiagram(stale, diagram);
    expect(fixed).toBe(edited);
    expect(withDiagram(fixed, diagram)).toBe(fixed);
  });
});

describe('machineDiagram()', () => {
  test('is deterministic', () => {
    expect(machineDiagram()).toBe(diagram);
    expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
  });

  test('shows every public status name as a state', () => {
    for (const status of sessionStatuses) expect(diagram).toContain(`state "${status}" as `);
  });

  test('labels every timer with its named delay and every guarded transition with its guard', () => {
    const { delays, guards } = sessionMachine.implementations;
    for (const delay of Object.keys(delays)) expect(diagram).toMatch(new RegExp(`: .*after ${delay}\\b`));
    for (const guard of Object.keys(guards)) expect(diagram).toContain(`[${guard}]`);
  });

  test('draws every transition of the machine, root-level STOP from each top-level state', () => {
    for (const event of ['START', 'OPEN', 'HELLO', 'ACK', 'BOT_CONNECT_SUCCESS']) {
      expect(diagram).toMatch(new RegExp(` --> \\S+ : ${event}\\b`));
    }
    expect(diagram).toContain('connection --> failed : FAULT [isFatal] / recordFailure');
    expect(diagram).toContain('connection --> reconnecting : FAULT / planRetry');
    for (const state of ['idle', 'connection', 'reconnecting', 'failed', 'stopped']) {
      expect(diagram).toContain(`  ${state} --> stopped : STOP / recordStop\n`);
    }
  });

  test('draws the parallel regions of online with a separator, and path-based ids for dashed names', () => {
    expect(diagram).toMatch(/state connection__online__heartbeat \{[\s\S]*\n\s*--\n\s*state "phase"/);
    expect(diagram).toContain('state "awaiting-hello" as connection__awaiting_hello');
    expect(diagram).toContain(
      'state "heartbeat-pending" as connection__online__heartbeat__beat__heartbeat_pending',
    );
    const ids = [...diagram.matchAll(/ as (\S+)/g)].map((match) => match[1]);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('stateDiagram() on other machines', () => {
  test('eventless, numeric-delay, final, cross-box and inline-guard transitions', () => {
    const machine = createMachine({
      id: 'other',
      initial: 'a',
      states: {
        a: { always: { target: 'b', guard: () => true } },
        b: {
          initial: 'inner',
          states: { inner: { on: { OUT: '#other.c.deep' } } },
          after: { 500: 'done' },
        },
        c: { initial: 'deep', states: { deep: {} } },
        done: { type: 'final' },
      },
    });
    const text = stateDiagram(machine.root);
    expect(text).toContain('a --> b : always [inline guard]');
    expect(text).toContain('b --> done : after 500 ms');
    expect(text).toContain('done --> [*]');
    expect(text).toContain('b --> c : OUT (to c.deep)');
  });

  test('refuses two states that would get the same Mermaid id', () => {
    const machine = createMachine({ initial: 'a-b', states: { 'a-b': {}, a_b: {} } });
    expect(() => stateDiagram(machine.root)).toThrow(/both be drawn as a_b/);
  });
});
