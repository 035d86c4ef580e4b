/** How every peer server starts and stops, as the benchmark's helpers do (bench/lib/child.ts). */
import type { Server } from 'node:http';
import { listen, tell } from '../../lib/child.js';

/** An HTTP server on 127.0.0.1, any port; tells the benchmark `listening` with `scheme://127.0.0.1:PORT`. */
export function announce(server: Server, scheme: 'ws' | 'http'): void {
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    tell({ type: 'listening', url: `${scheme}://127.0.0.1:${address.port}` });
  });
  listen((message) => {
    if (message.type === 'stop') process.exit(0);
  });
}
