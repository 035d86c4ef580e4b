import { fromCallback, type ActorSystem } from 'xstate';
import type { SocketCommand, SocketInput } from '../../machines/session.machine.js';
import { GatewayConnection, type ConnectionOwner } from './connection.js';

/** Any actor system: the key that finds a client's session. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- xstate's own AnyActorSystem, which it does not export
type AnyActorSystem = ActorSystem<any>;

/** Each client's session, by the actor system of its session actor. */
const owners = new WeakMap<AnyActorSystem, ConnectionOwner>();

/**
 * Makes `owner` (a client's session) the one the `socket` actors of its session actor work for. One
 * machine definition, provided once, then serves every client: a provided machine per client cost
 * 27 KB of state nodes each (docs/performance.md, benchmark 3).
 */
export function provideConnectionOwner(system: AnyActorSystem, owner: ConnectionOwner): void {
  owners.set(system, owner);
}

/**
 * The `socket` actor: a thin adapter between the chart and one {@link GatewayConnection}. It finds
 * its session once, opens the connection, passes the machine's commands on, and closes the
 * connection when the chart leaves `connection`.
 */
export const socketActor = fromCallback<SocketCommand, SocketInput>(
  ({ input, sendBack, receive, system }) => {
    const owner = owners.get(system);
    if (owner === undefined) throw new Error('socket actor started without provideConnectionOwner()');
    const connection = new GatewayConnection(owner, input.url, sendBack);
    receive((command) => connection.command(command));
    return () => connection.close();
  },
);
