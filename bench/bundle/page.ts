/**
 * A browser page using the client, for the bundle-size benchmark (bench/cases/bundle.ts): connect,
 * show GLOBAL_GUILD_COUNT, report this page's count with send_servers. Never run, only bundled.
 */
import { createGatewayClient } from '../../src/index.js';

const status = document.createElement('p');
document.body.append(status);

const client = createGatewayClient({
  url: 'wss://gateway.utilbot.co',
  identify: { type: 'bot', key: new URLSearchParams(location.search).get('key') ?? '' },
  plugins: [
    {
      name: 'page',
      events: {
        GLOBAL_GUILD_COUNT: (data) => {
          status.textContent = `${data.guilds} guilds, ${data.guildMembers} members`;
        },
      },
      onReady: (_session, context) => {
        context.send('send_servers', { guilds: 1, guildMembers: 2, cachedGuildMembers: 2 });
      },
    },
  ],
  onError: (error) => {
    console.warn(error.message);
  },
});
client.subscribe(({ status: now }) => {
  document.title = now;
});
void client.start();
