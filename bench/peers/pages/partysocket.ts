/** partysocket in a page: its ReconnectingWebSocket (`partysocket/ws`), messages shown as they come. */
import ReconnectingWebSocket from 'partysocket/ws';

const status = document.createElement('p');
document.body.append(status);
const socket = new ReconnectingWebSocket('wss://example.invalid/');
socket.addEventListener('message', (event: MessageEvent<string>) => {
  status.textContent = event.data;
});
