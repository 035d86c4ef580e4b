// docs/plugins.md shows this file, with the imports written as an application writes them.
import { createGatewayClient, definePlugin, type GatewayError, type GatewayPlugin } from '../../src/index.js';
import { createLocalGateway, type LocalGateway } from '../../src/testing/index.js';

// The plugin under test: reports the bot's numbers on each ready, remembers the latest total.
function reporter(stats: { guilds: number; guildMembers: number; cachedGuildMembers: number }) {
  let total: number | undefined;
  const plugin = definePlugin({
    name: 'reporter',
    onReady: (_session, context) => context.send('send_servers', stats),
    events: {
      GLOBAL_GUILD_COUNT: (data) => {
        total = data.guilds;
      },
    },
  });
  return { plugin, total: () => total };
}

let gateway: LocalGateway;
const stops: (() => Promise<void>)[] = [];

beforeEach(async () => {
  // Port 0 (the default) picks a free port. No periodic broadcast: the count comes on each change.
  gateway = await createLocalGateway({ keys: ['test-key'], guildCountInterval: 0 });
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await gateway.close(); // every socket and timer of the gateway is gone after this
});

/** A client for tests: fast reconnects, errors collected rather than printed. */
function testClient(plugins: GatewayPlugin[]) {
  const errors: GatewayError[] = [];
  const client = createGatewayClient({
    url: gateway.url,
    identify: { type: 'bot', key: 'test-key' },
    reconnect: { minDelay: 10, maxDelay: 50, jitter: 0 },
    onError: (error) => errors.push(error),
    plugins,
  });
  stops.push(() => client.stop());
  return { client, errors };
}

/** Polls `check` every 5 ms until it holds; fails after `ms`. */
async function until(check: () => boolean, ms = 2000): Promise<void> {
  for (const deadline = Date.now() + ms; !check();) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('reports on each ready and reads the total back', async () => {
  const r = reporter({ guilds: 3, guildMembers: 30, cachedGuildMembers: 20 });
  const { client, errors } = testClient([r.plugin]);
  await client.start();
  await until(() => r.total() === 3);
  expect(gateway.guildCount).toEqual({ guilds: 3, guildMembers: 30, cachedGuildMembers: 20 });

  // A new session starts without a report: drop the connection, the plugin must report again.
  const first = await gateway.nextConnection();
  first.drop();
  const second = await gateway.nextConnection();
  await until(() => second.frames.some(({ frame }) => frame?.op === 1 && frame.t === 'send_servers'));
  expect(gateway.guildCount.guilds).toBe(3);
  expect(errors).toEqual([]);
});

test('a handler that throws is reported with the plugin name; the session goes on', async () => {
  const broken = definePlugin({
    name: 'broken',
    events: {
      GLOBAL_GUILD_COUNT: () => {
        throw new Error('boom');
      },
    },
  });
  const r = reporter({ guilds: 1, guildMembers: 1, cachedGuildMembers: 1 });
  const { client, errors } = testClient([broken, r.plugin]);
  await client.start();
  await until(() => r.total() === 1); // the plugin after the broken one still ran
  expect(errors.map((e) => [e.code, e.plugin])).toEqual([['PLUGIN_FAILED', 'broken']]);
  expect(client.status).toBe('ready');
});
