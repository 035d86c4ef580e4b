/**
 * The preload script: the page's only way to the gateway. It exposes `window.utilbot`, three
 * functions, and never `ipcRenderer` itself (with it, the page could send anything on any channel).
 * A sandboxed preload may `require` only `electron` and a few built-ins, so build.mjs bundles this
 * file (with ipc.ts) into one CommonJS file, preload.cjs.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channels, type MainToRenderer, type UtilbotBridge } from './ipc.js';

/** Subscribes to `channel` without handing `listener` the IPC event (its `sender` is `ipcRenderer`). */
function listen<C extends keyof MainToRenderer>(
  channel: C,
  listener: (payload: MainToRenderer[C]) => void,
): () => void {
  const wrapped = (_event: IpcRendererEvent, payload: MainToRenderer[C]): void => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.off(channel, wrapped);
  };
}

const bridge: UtilbotBridge = {
  onStatus: (listener) => listen(channels.status, listener),
  onEvent: (listener) => listen(channels.event, listener),
  send: async (event, data) => {
    await ipcRenderer.invoke(channels.send, event, data);
  },
};

contextBridge.exposeInMainWorld('utilbot', bridge);
