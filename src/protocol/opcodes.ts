/**
 * Opcodes of gateway version 1, named as the gateway's docs name them.
 *
 * Op 0 and op 1 are both called "Event" by the docs; the direction tells them apart, so they are
 * `GatewayEvent` (gateway → client) and `ClientEvent` (client → gateway) here.
 */
export const Opcode = {
  Error: -1,
  GatewayEvent: 0,
  ClientEvent: 1,
  Hello: 5,
  Heartbeat: 10,
  HeartbeatAck: 11,
} as const;

/** One of the opcodes version 1 defines. */
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

/** Who sends an opcode. */
export type OpcodeDirection = 'gateway' | 'client';

/** Each opcode's name and sender, as the protocol table gives them: the one place this fact lives. */
export const opcodeTable: readonly {
  readonly op: Opcode;
  readonly name: string;
  readonly sentBy: OpcodeDirection;
}[] = [
  { op: Opcode.Error, name: 'Error', sentBy: 'gateway' },
  { op: Opcode.GatewayEvent, name: 'Event', sentBy: 'gateway' },
  { op: Opcode.ClientEvent, name: 'Event', sentBy: 'client' },
  { op: Opcode.Hello, name: 'Hello', sentBy: 'gateway' },
  { op: Opcode.Heartbeat, name: 'Heartbeat', sentBy: 'client' },
  { op: Opcode.HeartbeatAck, name: 'Heartbeat ACK', sentBy: 'gateway' },
];

// Indexed by op + 1 (Error is -1): an array read, where a Map hashed the opcode on every frame.
const sentBy: (OpcodeDirection | undefined)[] = [];
for (const row of opcodeTable) sentBy[row.op + 1] = row.sentBy;

/** Whether `op` is an opcode that `side` may send. Unknown opcodes are sent by nobody. */
export function isSentBy(op: number, side: OpcodeDirection): boolean {
  return Number.isInteger(op) && sentBy[op + 1] === side;
}
