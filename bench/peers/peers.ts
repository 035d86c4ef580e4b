/** The clients of benchmark 9, in the order of the table's columns. */
import { discordjsWs } from './adapters/discordjs-ws.js';
import { graphqlWs } from './adapters/graphql-ws.js';
import { ours } from './adapters/ours.js';
import { partysocket } from './adapters/partysocket.js';
import { rawWs } from './adapters/raw-ws.js';
import { socketIo } from './adapters/socket-io.js';
import type { Peer } from './peer.js';

export const peers: readonly Peer[] = [rawWs, ours, discordjsWs, graphqlWs, socketIo, partysocket];
