/**
 * The page render.test.ts loads: an app's own page (or an Electron renderer) that runs a client
 * and draws its session view into `#session` with `renderSessionView`. Typed against src/; the
 * test bundles it against the package's `browser` export (dist/browser), what an app's bundler uses.
 */
import {
  createGatewayClient,
  renderSessionView,
  type GatewayClient,
  type RenderedSessionView,
} from '../../src/index.js';

/** What the test calls through `window.sessionPage`. */
export interface RenderPage {
  /** Creates a client for `url` (retries after `retryMs`), draws its view into `#session`, starts it. */
  start(url: string, key: string, retryMs: number): Promise<void>;
  /** Stops the view, then the client; resolves with the client's status. */
  stop(): Promise<string>;
}

let client: GatewayClient | undefined;
let view: RenderedSessionView | undefined;

const page: RenderPage = {
  async start(url, key, retryMs) {
    client = createGatewayClient({
      url,
      identify: { type: 'bot', key },
      reconnect: { minDelay: retryMs, maxDelay: retryMs, jitter: 0 },
      plugins: [{ name: 'presence' }],
      onError: (error) => view?.report(error),
    });
    view = renderSessionView(document.getElementById('session') as HTMLElement, client);
    await client.start();
  },
  async stop() {
    view?.stop();
    await client?.stop();
    return client?.status ?? 'no client';
  },
};

(window as unknown as { sessionPage: RenderPage }).sessionPage = page;
