/**
 * Electron, with the client in the renderer (the browser build): for a window whose key is no
 * secret, such as a read-only dashboard (see docs/electron.md for when that is acceptable). The
 * main process only opens the window: no preload, no IPC, no key.
 *
 *   npm run build && node examples/electron/build.mjs && node examples/electron/install-deps.mjs
 *   npx utilbot-gateway serve --port 8080 --key public-dashboard   # or point renderer.ts elsewhere
 *   npm run start:renderer-only --prefix examples/electron
 */
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';

async function main(): Promise<void> {
  await app.whenReady();
  const window = new BrowserWindow({
    width: 520,
    height: 320,
    // The page runs untrusted data through a WebSocket: give it no Node, no preload, no way out.
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  app.on('window-all-closed', () => app.quit());
  await window.loadFile(join(import.meta.dirname, 'index.html'));
}

main().catch((error: unknown) => {
  console.error(error);
  app.exit(1);
});
