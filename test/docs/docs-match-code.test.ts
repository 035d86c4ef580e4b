import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reconnectDefaults } from '../../machines/backoff.js';
import { sessionMachine } from '../../machines/session.machine.js';
import { sessionStatuses } from '../../machines/status.js';
import { clientConditionTable } from '../../src/errors/conditions.js';
import { errorCodeTable, knownEvents, opcodeTable } from '../../src/protocol/index.js';
import { clientDefaults } from '../../src/session/options.js';

/**
 * The tables in docs/ are copies of tables in the code, written for people. These tests read them
 * back so that neither can change without the other.
 */

const read = (name: string): string => readFileSync(join(__dirname, '../../docs', name), 'utf8');
const protocolDoc = read('protocol.md');
const machineDoc = read('machine.md');

/** The body rows of the Markdown table whose header row is exactly `header`, cells trimmed. */
function table(doc: string, header: readonly string[]): string[][] {
  const lines = doc.split('\n');
  const cells = (line: string): string[] =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
  const start = lines.findIndex(
    (line) => line.trim().startsWith('|') && cells(line).join('\u0000') === header.join('\u0000'),
  );
  if (start === -1) throw new Error(`no table with the header | ${header.join(' | ')} |`);
  const rows: string[][] = [];
  // start + 1 is the |---| line.
  for (let i = start + 2; i < lines.length && lines[i]!.trim().startsWith('|'); i++)
    rows.push(cells(lines[i]!));
  return rows;
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1');

describe('docs/protocol.md', () => {
  test('the error-code table is errorCodeTable: codes, names, meanings, actions, reporting', () => {
    const rows = table(protocolDoc, ['code', 'name', 'meaning', 'what the client does', 'reported']);
    expect(rows.map((row) => Number(row[0]))).toEqual(errorCodeTable.map((entry) => entry.code));
    rows.forEach((row, i) => {
      const entry = errorCodeTable[i]!;
      const [, name, meaning, does, reported] = row;
      expect({ code: entry.code, name, meaning }).toEqual({
        code: entry.code,
        name: entry.name,
        meaning: entry.meaning,
      });
      expect(does?.split(/[;:, ]/)[0]).toBe(entry.action);
      expect(reported).toBe(entry.report ? 'yes' : 'no');
      expect(/fresh/.test(does!)).toBe(entry.freshIdentifyHelps);
    });
  });

  test('the opcode table is opcodeTable', () => {
    const rows = table(protocolDoc, ['op', 'name', 'sent by', 'the client, on receiving it']);
    expect(rows.map(([op, name, sentBy]) => ({ op: Number(op), name, sentBy }))).toEqual(
      opcodeTable.map(({ op, name, sentBy }) => ({ op, name, sentBy })),
    );
  });

  test('the events table is knownEvents, with send_servers marked as inferred', () => {
    const rows = table(protocolDoc, ['event (`t`)', 'sent by', 'data']);
    expect(rows.map(([name, sentBy]) => ({ name: unquote(name!), sentBy }))).toEqual(
      Object.entries(knownEvents).map(([name, entry]) => ({ name, sentBy: entry.sentBy })),
    );
    const sendServers = rows.find((row) => row[0] === '`send_servers`');
    expect(sendServers?.[2]).toMatch(/\*\*Inferred\*\*/);
  });

  test("the client's condition table is clientConditionTable", () => {
    const rows = table(protocolDoc, ['code', 'name', 'meaning', 'what follows']);
    expect(rows.map(([code, name, meaning]) => ({ code: unquote(code!), name, meaning }))).toEqual(
      Object.entries(clientConditionTable).map(([code, entry]) => ({ code, ...entry })),
    );
  });

  test('links to the local gateway decisions in testing.md, whose heading exists', () => {
    expect(protocolDoc).toContain('(testing.md#decisions-where-protocolmd-is-silent-or-unclear)');
    expect(read('testing.md')).toContain('## Decisions where `protocol.md` is silent (or unclear)');
  });
});

describe('docs/machine.md', () => {
  test('describes every public status in its states table, in order', () => {
    const rows = table(machineDoc, ['status', 'state in the chart', 'what it means']);
    expect(rows.map((row) => unquote(row[0]!))).toEqual([...sessionStatuses]);
  });

  test('describes every named delay and every guard', () => {
    const { delays, guards } = sessionMachine.implementations;
    const delayRows = table(machineDoc, ['delay', 'value', 'runs in', 'when it fires']);
    expect(delayRows.map((row) => unquote(row[0]!)).sort()).toEqual(Object.keys(delays).sort());
    const guardRows = table(machineDoc, ['guard', 'checked on', 'true when']);
    expect(guardRows.map((row) => unquote(row[0]!)).sort()).toEqual(Object.keys(guards).sort());
  });

  test('describes every event and every socket command', () => {
    const events = table(machineDoc, ['event', 'sent when', 'what it does']).map((row) => unquote(row[0]!));
    expect(events).toEqual([
      'START',
      'STOP',
      'RECONNECT',
      'GIVE_UP',
      'OPEN',
      'HELLO',
      'ACK',
      'BOT_CONNECT_SUCCESS',
      'FAULT',
    ]);
    // Every event the chart takes is one of them.
    const taken = new Set<string>();
    const walk = (node: typeof sessionMachine.root): void => {
      for (const type of node.transitions.keys()) if (!type.startsWith('xstate.')) taken.add(type);
      for (const child of Object.values(node.states)) walk(child);
    };
    walk(sessionMachine.root);
    expect([...taken].sort()).toEqual([...events].sort());
    const commands = table(machineDoc, ['command', 'sent by', 'what the socket actor does']);
    expect(commands.map((row) => unquote(row[0]!))).toEqual(['HEARTBEAT', 'IDENTIFY', 'FLUSH']);
  });

  test('gives the reconnect defaults of reconnectDefaults and the timeouts of clientDefaults', () => {
    const reconnect = table(machineDoc, ['option', 'default', 'meaning']);
    expect(
      Object.fromEntries(reconnect.map(([option, value]) => [unquote(option!), unquote(value!)])),
    ).toEqual(
      Object.fromEntries(Object.entries(reconnectDefaults).map(([key, value]) => [key, String(value)])),
    );
    const timeouts = table(machineDoc, ['timeout', 'default']);
    expect(Object.fromEntries(timeouts.map(([name, value]) => [unquote(name!), value]))).toEqual(
      Object.fromEntries(
        Object.entries(clientDefaults.timeouts).map(([key, value]) => [`timeouts.${key}`, String(value)]),
      ),
    );
  });
});
