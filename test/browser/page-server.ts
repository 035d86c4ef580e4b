import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A page served on 127.0.0.1 for a browser test. */
export interface ServedPage {
  readonly url: string;
  /** Closes the server and every connection the browser kept open. */
  close(): Promise<void>;
}

/**
 * Serves a test page: `/` is `html`, every other path the bundle file of that URL path (404 when
 * there is none), never cached. `csp`, when given, is sent as the Content-Security-Policy of every
 * response, as an app's server would.
 */
export async function servePage(
  html: string,
  files: ReadonlyMap<string, string>,
  csp?: string,
): Promise<ServedPage> {
  const server: Server = createServer((request, response) => {
    const js = files.get(request.url ?? '');
    const [status, type, body] =
      request.url === '/'
        ? [200, 'text/html', html]
        : js !== undefined
          ? [200, 'text/javascript', js]
          : [404, 'text/plain', 'not found'];
    response.writeHead(status, {
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'no-store',
      ...(csp === undefined ? {} : { 'content-security-policy': csp }),
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
