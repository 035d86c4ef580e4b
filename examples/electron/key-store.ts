/**
 * The bot's key, in the main process only: from `UTILBOT_KEY`, else sealed on disk by Electron's
 * `safeStorage` (the macOS Keychain, Windows DPAPI, libsecret or KWallet on Linux). Nothing here
 * is reachable from the renderer, and no message here contains the key.
 */
import { app, safeStorage } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The sealed key's file: only this user's OS keychain can open it. */
const sealedKeyPath = (): string => join(app.getPath('userData'), 'utilbot-key.sealed');

/** The key: `UTILBOT_KEY` if set, else the one {@link storeKey} sealed. Called for each identify. */
export async function readKey(): Promise<string> {
  const fromEnv = process.env.UTILBOT_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  let sealed: Buffer;
  try {
    sealed = await readFile(sealedKeyPath());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('no key: set UTILBOT_KEY, or run once with UTILBOT_KEY and --store-key', {
        cause: error,
      });
    }
    throw error;
  }
  const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(sealed);
  // The keychain's own key was rotated: seal again so the next start needs no migration.
  if (shouldReEncrypt) await storeKey(result);
  return result;
}

/** Seals `key` with the OS keychain, for starts without `UTILBOT_KEY`. */
export async function storeKey(key: string): Promise<void> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    throw new Error('the OS keychain is not available: pass the key as UTILBOT_KEY instead');
  }
  // Without a keyring, Linux "encrypts" with a password built into Chromium: that is plain text.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    throw new Error('no OS keyring found (basic_text): pass the key as UTILBOT_KEY instead');
  }
  await writeFile(sealedKeyPath(), await safeStorage.encryptStringAsync(key), { mode: 0o600 });
}
