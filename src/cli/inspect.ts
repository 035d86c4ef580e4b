import type { InspectionEvent, Observer } from 'xstate';
import { startInspectorBridge } from './inspector-bridge.js';

/** A running inspector: what to hand to the client, and how to end it. */
export interface CliInspector {
  readonly inspect: Observer<InspectionEvent>;
  /** Where a person opens the inspector: `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Disconnects the inspector and closes the bridge; resolves when no socket or server is left. */
  stop(): Promise<void>;
}

/** How long the inspector may take to reach a bridge in this same process before --inspect gives up. */
const PRODUCER_TIMEOUT_MS = 5000;

/**
 * Starts the local inspector bridge on 127.0.0.1:`port` (a page that embeds the Stately inspector;
 * see {@link startInspectorBridge} for why it is ours and not `@statelyai/inspect/server`) and
 * `@statelyai/inspect`'s WebSocket inspector feeding it. The package is an optional peer
 * dependency, loaded only here. What the inspector receives (context, input, events) never holds
 * the key.
 */
export async function startInspector(port: number): Promise<CliInspector> {
  let inspectModule: typeof import('@statelyai/inspect');
  try {
    inspectModule = await import('@statelyai/inspect');
  } catch {
    throw new Error('--inspect needs @statelyai/inspect: npm install --save-dev @statelyai/inspect');
  }
  const bridge = await startInspectorBridge(port);
  const inspector = inspectModule.createWebSocketInspector({ url: bridge.producerUrl });
  try {
    // Waiting for an open socket matters for stop(): the package's inspector closed while still
    // connecting reconnects every 5 s forever, which would keep the CLI alive after Ctrl-C.
    await bridge.producerReady(PRODUCER_TIMEOUT_MS);
  } catch (error) {
    inspector.stop();
    await bridge.stop();
    throw error;
  }
  return {
    inspect: inspector.inspect,
    url: bridge.url,
    async stop() {
      inspector.stop();
      await bridge.stop();
    },
  };
}
