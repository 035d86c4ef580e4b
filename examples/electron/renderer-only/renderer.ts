/**
 * The client in the renderer, from the browser build (`utilbot-gateway` under the `browser`
 * condition: the page's own WebSocket, no `ws`, no Node built-ins). Everything in this file,
 * the key included, is readable by anyone with DevTools or the app's files, and by any script
 * that runs in the page: only a key that grants nothing worth protecting belongs here.
 */
// In an application: `from 'utilbot-gateway'`; build.mjs bundles the package's browser build.
import { createGatewayClient, definePlugin, renderSessionView } from '../../../src/index.js';

/**
 * A key that is public by design: a local gateway's throwaway key (`serve --key public-dashboard`),
 * or one your gateway deployment issues that grants nothing but reading. Never a bot's real key.
 */
const dashboardKey = 'public-dashboard';

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`index.html has no #${id}`);
  return found;
}
const status = element('status');
const count = element('count');

const client = createGatewayClient({
  url: 'ws://127.0.0.1:8080', // a local gateway; CSP's connect-src in index.html must allow the URL
  identify: { type: 'bot', key: dashboardKey },
  plugins: [
    definePlugin({
      name: 'dashboard',
      events: {
        GLOBAL_GUILD_COUNT: ({ guilds, guildMembers }) => {
          count.textContent = `${guilds} guilds, ${guildMembers} members across every bot`;
        },
      },
    }),
  ],
});
client.subscribe(({ status: now, reason }) => {
  status.textContent = reason === undefined ? now : `${now}: ${reason.message}`;
});
// The live picture of the session (docs/view.md), drawn in this page: no server, no network, and
// nothing for the CSP to allow (it styles itself with a constructed style sheet).
const view = renderSessionView(element('session'), client);
window.addEventListener('pagehide', () => {
  view.stop();
  void client.stop();
});
client.start().catch(() => undefined); // a failure is on screen already, through subscribe
