/**
 * graphql-ws's own server (`graphql-ws/use/ws`) on a graphql 16 schema with one subscription,
 * `guildCount`, whose source never yields by itself: the flood is written ahead into the socket of
 * the newest subscription as `next` messages (see flood.ts for why not through the server). Its
 * keep-alive pings are off (0): the other servers do not ping idle clients either.
 */
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { GraphQLFloat, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { announce } from './announce.js';
import { GUILD_COUNT, serveFloods, whenDefined } from './flood.js';

/** An event source that stays silent until the subscription ends. */
function silence(): AsyncIterableIterator<never> {
  let end: () => void = () => undefined;
  const ended = new Promise<IteratorResult<never>>((resolve) => {
    end = () => resolve({ done: true, value: undefined });
  });
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => ended,
    return: () => {
      end();
      return ended;
    },
  };
}

const GuildCount = new GraphQLObjectType({
  name: 'GuildCount',
  fields: {
    guilds: { type: GraphQLFloat },
    guildMembers: { type: GraphQLFloat },
    cachedGuildMembers: { type: GraphQLFloat },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { ok: { type: GraphQLString, resolve: () => 'ok' } },
  }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: { guildCount: { type: GuildCount, subscribe: silence, resolve: (value: unknown) => value } },
  }),
});

let newest: { tcp: Socket; id: string } | undefined;
const server = createServer();
const wss = new WebSocketServer({ server });
useServer(
  {
    schema,
    onSubscribe: (ctx, id) => {
      newest = { tcp: ctx.extra.request.socket, id };
    },
    onClose: (ctx) => {
      if (newest?.tcp === ctx.extra.request.socket) newest = undefined;
    },
  },
  wss,
  0,
);
announce(server, 'ws');

serveFloods(async () => {
  const { tcp, id } = await whenDefined(() => newest);
  const text = JSON.stringify({ id, type: 'next', payload: { data: { guildCount: GUILD_COUNT } } });
  return {
    tcp,
    *messages(count) {
      for (let i = 0; i < count; i++) yield text;
    },
  };
});
