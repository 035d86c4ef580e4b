import type { InspectionEvent, Observer } from 'xstate';

/** A running inspector: what to hand to the client, and how to end it. */
export interface CliInspector {
  readonly inspect: Observer<InspectionEvent>;
  /** Where a person opens the inspector. */
  readonly url: string;
  stop(): void;
}

/**
 * Starts `@statelyai/inspect`'s local bridge on `port` (a page at http://localhost:PORT that
 * embeds the Stately inspector) and a WebSocket inspector feeding it. The package is an optional
 * peer dependency, loaded only here. What the inspector receives — context, input, events — never
 * holds the key.
 */
export async function startInspector(port: number): Promise<CliInspector> {
  let inspectModule: typeof import('@statelyai/inspect');
  let serverModule: typeof import('@statelyai/inspect/server');
  try {
    inspectModule = await import('@statelyai/inspect');
    serverModule = await import('@statelyai/inspect/server');
  } catch {
    throw new Error('--inspect needs @statelyai/inspect: npm install --save-dev @statelyai/inspect');
  }
  const server = serverModule.createInspectorServer({ port, autoOpen: false });
  const inspector = inspectModule.createWebSocketInspector({ url: `ws://localhost:${port}` });
  return {
    inspect: inspector.inspect,
    url: `http://localhost:${port}`,
    stop() {
      inspector.stop();
      server.stop();
    },
  };
}
