import { createGatewayClient } from '../src/index.js';

const client = createGatewayClient({
  url: process.env.UTILBOT_URL ?? 'wss://gateway.utilbot.co',
  identify: { type: 'bot', key: process.env.UTILBOT_KEY ?? '' }, // or a function, called for each identify
  onError: (error) => console.warn(error.message), // bad frames, handler throws: reported, never a crash
});
// A calm status for a UI: connected / connecting / disconnected, never a flicker at each heartbeat.
client.onConnection(({ connection, reason, retryIn }) => {
  const why = reason === undefined ? '' : `: ${reason.message}`;
  console.log(`${connection}${why}${retryIn === undefined ? '' : ` (retry in ${retryIn} ms)`}`);
});
// Events without a plugin: a handler per name (typed), or an async iterator (below).
client.on('GLOBAL_GUILD_COUNT', (data) => console.log(`all bots: ${data.guilds} guilds`));
client.send('send_servers', { guilds: 12, guildMembers: 3400, cachedGuildMembers: 2900 }); // 'queued' until ready
await client.start({ timeout: 10_000 }); // rejects with START_TIMEOUT (the client keeps trying) or why it failed
process.once('SIGINT', () => void client.stop()); // closes with 1000; no socket, timer or listener is left
for await (const { name } of client.events()) console.log(`event ${name}`); // ends when the client stops
