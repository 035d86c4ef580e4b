/** raw ws's "bundle": a page on the browser's own WebSocket that shows what the server says. */
const status = document.createElement('p');
document.body.append(status);
const socket = new WebSocket('wss://example.invalid/');
socket.onmessage = (event: MessageEvent<string>) => {
  status.textContent = event.data;
};
