/**
 * The page: it knows nothing of the key or the socket, only `window.utilbot` (preload.ts). It shows
 * the session's status and the global guild count, and reports this bot's numbers from a form.
 */
import type { UtilbotBridge } from './ipc.js';

const utilbot = (globalThis as typeof globalThis & { readonly utilbot: UtilbotBridge }).utilbot;

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html has no #${id}`);
  return found;
}

const status = element('status', HTMLElement);
const count = element('count', HTMLElement);
const form = element('report', HTMLFormElement);
const result = element('result', HTMLElement);

// textContent only: whatever the gateway sends is never parsed as HTML.
utilbot.onStatus(({ status: now, reason, retryIn }) => {
  const retry = retryIn === undefined ? '' : ` (next try in ${Math.round(retryIn / 1000)} s)`;
  status.textContent = `${now}${retry}${reason === undefined ? '' : `: ${reason.message}`}`;
});

// GLOBAL_GUILD_COUNT is the only event main forwards (ipc.ts); forward more, and `event.name` tells them apart.
utilbot.onEvent(({ data: { guilds, guildMembers } }) => {
  count.textContent = `${guilds} guilds, ${guildMembers} members across every bot`;
});

async function report(): Promise<string> {
  const data = new FormData(form);
  const field = (name: string): number => Number(data.get(name));
  try {
    await utilbot.send('send_servers', {
      guilds: field('guilds'),
      guildMembers: field('guildMembers'),
      cachedGuildMembers: field('cachedGuildMembers'),
    });
    return 'queued';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

form.addEventListener('submit', (submit) => {
  submit.preventDefault();
  void report().then((line) => {
    result.textContent = line;
  });
});
