/**
 * The served page's script, before bundling: the drawing (draw.ts) fed by the view's WebSocket.
 * Not imported by anything: test/view/page-script.test.ts bundles it into page-script.ts, which
 * page.ts inlines. Runs in the browser only.
 */
import { drawSessionView } from './draw.js';
import { FEED_PATH, type ViewMessage } from './messages.js';

const drawing = drawSessionView(document.getElementById('view') as HTMLElement);
const live = document.getElementById('live') as HTMLElement;
const socket = new WebSocket(`ws://${location.host}${FEED_PATH}`);
socket.onopen = () => {
  live.textContent = 'live';
  live.className = 'on';
};
socket.onclose = () => {
  live.textContent = 'view stopped';
  live.className = 'off';
};
socket.onmessage = (message: MessageEvent<string>) => drawing.apply(JSON.parse(message.data) as ViewMessage);
