/** graphql-ws in a page: one client (its browser entry), one subscription shown as it comes. */
import { createClient } from 'graphql-ws';

const status = document.createElement('p');
document.body.append(status);
const client = createClient({ url: 'wss://example.invalid/graphql' });
client.subscribe(
  { query: 'subscription { guildCount { guilds guildMembers } }' },
  {
    next: (result) => {
      status.textContent = JSON.stringify(result.data);
    },
    error: (error) => {
      console.warn(error);
    },
    complete: () => undefined,
  },
);
