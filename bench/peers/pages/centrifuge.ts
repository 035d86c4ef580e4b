/** centrifuge (a reference for the bundle figure only): one client, one subscription shown as it comes. */
import { Centrifuge } from 'centrifuge';

const status = document.createElement('p');
document.body.append(status);
const client = new Centrifuge('wss://example.invalid/connection/websocket');
client
  .newSubscription('guild-count')
  .on('publication', (context) => {
    status.textContent = JSON.stringify(context.data);
  })
  .subscribe();
client.connect();
