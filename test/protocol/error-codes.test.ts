import {
  errorCodeEntry,
  errorCodeTable,
  GatewayErrorCode,
  type ErrorCodeEntry,
} from '../../src/protocol/index.js';

// protocol.md's error-code table, hard-coded: the shared docs are not beside the repo everywhere.
const expected: readonly Omit<ErrorCodeEntry, 'meaning'>[] = [
  { code: 1000, name: 'Unknown Error', action: 'reconnect', report: false, freshIdentifyHelps: false },
  { code: 4000, name: 'Wrong Version', action: 'fail', report: false, freshIdentifyHelps: false },
  { code: 4001, name: 'Wrong Auth Key', action: 'fail', report: false, freshIdentifyHelps: true },
  { code: 4002, name: 'Bot ID Used', action: 'reconnect', report: false, freshIdentifyHelps: false },
  { code: 4003, name: 'No Opcode', action: 'reconnect', report: true, freshIdentifyHelps: false },
  { code: 4004, name: 'Wrong Opcode', action: 'reconnect', report: true, freshIdentifyHelps: false },
  { code: 4005, name: 'Malformed Data', action: 'reconnect', report: true, freshIdentifyHelps: false },
  { code: 4006, name: 'No Heartbeat', action: 'reconnect', report: false, freshIdentifyHelps: false },
  { code: 4007, name: 'Wrong Identify', action: 'fail', report: false, freshIdentifyHelps: false },
];

describe('the error-code table', () => {
  it('holds every code of protocol.md, in its order, with the right action', () => {
    expect(errorCodeTable.map(({ meaning: _, ...row }) => row)).toEqual(expected);
  });

  it.each(expected)('$code $name → $action', (row) => {
    const entry = errorCodeEntry(row.code);
    expect(entry).toMatchObject(row);
    expect(entry?.meaning).toMatch(/^[^\n]+\.$/);
  });

  it('knows no other code', () => {
    for (const code of [0, 999, 1001, 1006, 3999, 4008, 4100, -1])
      expect(errorCodeEntry(code)).toBeUndefined();
  });

  it('names every code once', () => {
    expect(new Set(errorCodeTable.map((row) => row.code)).size).toBe(errorCodeTable.length);
    const byName = Object.fromEntries(
      errorCodeTable.map((row) => [row.name.replace(/ /g, '').replace('ID', 'Id'), row.code]),
    );
    expect(GatewayErrorCode).toEqual(byName);
  });
});
