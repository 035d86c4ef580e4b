/**
 * `createSessionView` in the browser bundle: a page cannot serve another page. The browser bundle
 * puts this file in place of `server.ts` (scripts/build.mjs), so neither `ws` nor `node:http` is part of it.
 */
import { GatewayError } from '../errors/gateway-error.js';
import type { ViewedClient } from './feed.js';
import type { SessionView, SessionViewOptions } from './server.js';

export type { SessionView, SessionViewOptions } from './server.js';

/** Always rejects: the view's server runs in Node or an Electron main process only. */
export function createSessionView(
  _client: ViewedClient,
  _options: SessionViewOptions = {},
): Promise<SessionView> {
  return Promise.reject(
    new GatewayError(
      'INVALID_OPTIONS',
      'createSessionView serves a page from Node or an Electron main process; a browser cannot run it',
      { fatal: true },
    ),
  );
}
