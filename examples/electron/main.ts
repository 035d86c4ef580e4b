/**
 * Electron, with the client in the main process: the key stays there (from `UTILBOT_KEY` or the
 * OS keychain, see key-store.ts). The renderer gets status changes and the events listed in
 * ipc.ts over IPC, through preload.ts's `window.utilbot`, and can ask to send only what ipc.ts
 * allows; this process checks every such request before the client sends it. See docs/electron.md.
 *
 *   npm run build && node examples/electron/build.mjs && node examples/electron/install-deps.mjs
 *   UTILBOT_KEY=… npm start --prefix examples/electron [-- --store-key]
 */
import { app, BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createGatewayClient,
  definePlugin,
  knownEvents,
  type GatewayEvents,
  type StatusChange,
} from '../../src/index.js';
import {
  channels,
  isRendererSend,
  type MainToRenderer,
  type RendererEventName,
  type RendererStatus,
} from './ipc.js';
import { readKey, storeKey } from './key-store.js';

const page = join(import.meta.dirname, 'index.html');
const pageUrl = pathToFileURL(page).href;

let window: BrowserWindow | undefined;
/** The last status, for a renderer that loads (or reloads) after it changed. */
let lastStatus: RendererStatus | undefined;

function toRenderer<C extends keyof MainToRenderer>(channel: C, payload: MainToRenderer[C]): void {
  if (window !== undefined && !window.isDestroyed()) window.webContents.send(channel, payload);
}

/** A status change as plain data: a `GatewayError` would arrive in the renderer without its code. */
function rendererStatus({ status, previous, reason, retryIn }: StatusChange): RendererStatus {
  return {
    status,
    previous,
    ...(reason === undefined
      ? {}
      : { reason: { code: reason.code, message: reason.message, fatal: reason.fatal } }),
    ...(retryIn === undefined ? {} : { retryIn }),
  };
}

/** A handler for each event in ipc.ts's `rendererEvents` (a missing one does not compile); the rest stay here. */
const forwarded = {
  GLOBAL_GUILD_COUNT: (data) => toRenderer(channels.event, { name: 'GLOBAL_GUILD_COUNT', data }),
} satisfies { [K in RendererEventName]: (data: GatewayEvents[K]) => void };

const url = process.env.UTILBOT_URL;
const client = createGatewayClient({
  ...(url === undefined ? {} : { url }),
  // Read for each identify, so a key stored while the app runs is used at the next connection.
  identify: async () => ({ type: 'bot', key: await readKey() }),
  plugins: [definePlugin({ name: 'renderer-bridge', events: forwarded })],
});
client.subscribe((change) => {
  lastStatus = rendererStatus(change);
  toRenderer(channels.status, lastStatus);
});

/** Only our own page, in our own window, may use the bridge (not an iframe, not a page it navigated to). */
function fromOurPage(event: IpcMainInvokeEvent): boolean {
  const frameUrl = event.senderFrame?.url;
  return (
    window !== undefined &&
    event.sender === window.webContents &&
    frameUrl !== undefined &&
    frameUrl.split('#')[0] === pageUrl
  );
}

ipcMain.handle(channels.send, (event, name: unknown, data: unknown) => {
  if (!fromOurPage(event)) throw new Error('refused: not our page');
  if (!isRendererSend(name)) throw new Error(`refused: the renderer may not send ${String(name)}`);
  // The client checks the data too; checking here first keeps the type narrow without a cast.
  if (!knownEvents[name].codec.is(data)) throw new Error(`refused: ${name} data has the wrong shape`);
  client.send(name, data); // throws QUEUE_FULL when too much waits for a session: the renderer sees it
});

function createWindow(): BrowserWindow {
  const created = new BrowserWindow({
    width: 520,
    height: 420,
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.cjs'),
      contextIsolation: true, // the defaults, spelled out: the page has no Node and no ipcRenderer
      sandbox: true,
      nodeIntegration: false,
    },
  });
  created.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  created.webContents.on('will-navigate', (event) => event.preventDefault());
  created.webContents.on('did-finish-load', () => {
    if (lastStatus !== undefined) created.webContents.send(channels.status, lastStatus);
  });
  void created.loadFile(page);
  return created;
}

async function main(): Promise<void> {
  await app.whenReady();
  if (process.argv.includes('--store-key')) await storeKey(await readKey());
  await readKey(); // no key at all: say so now, rather than fail each identify
  window = createWindow();
  app.on('window-all-closed', () => app.quit());
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault(); // close the session with 1000 first
    void client.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });
  // Rejects when the session fails (a wrong key, say): the renderer already has the `failed` status.
  client.start().catch(() => undefined);
}

main().catch((error: unknown) => {
  dialog.showErrorBox('Utilbot', error instanceof Error ? error.message : String(error));
  app.exit(1);
});
