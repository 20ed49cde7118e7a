// Provider keys in the desktop app: encrypted with Electron's safeStorage (the OS keychain: Keychain on
// macOS, DPAPI on Windows, libsecret/kwallet on Linux) and kept as ciphertext in `providers.json` in the app's data folder (through `conf`, the store the core uses too). The
// plaintext exists only in the main process; the renderer sees "····1234".
import { app, safeStorage } from 'electron';
import Conf from 'conf';
import type { ProviderSettingsStore } from '../core/providers/provider-settings';
import type { CloudProviderId } from '../core/providers/registry';

interface Saved {
  /** base64 of safeStorage ciphertext of a JSON object of credentials. */
  credentials: Partial<Record<CloudProviderId, string>>;
  baseUrls: Partial<Record<CloudProviderId, string>>;
}

export class SafeProviderStore implements ProviderSettingsStore {
  // The same file electron-store wrote (userData/providers.json), so keys saved by earlier versions stay.
  private readonly store = new Conf<Saved>({ cwd: app.getPath('userData'), configName: 'providers', defaults: { credentials: {}, baseUrls: {} }, clearInvalidConfig: true });

  /** Without a working keychain (some Linux desktops) keys are refused rather than stored in clear. */
  get writable(): boolean {
    return safeStorage.isEncryptionAvailable();
  }

  credentials(id: CloudProviderId): Record<string, string> | undefined {
    const sealed = this.store.get('credentials')[id];
    if (!sealed || !safeStorage.isEncryptionAvailable()) return undefined;
    try {
      return JSON.parse(safeStorage.decryptString(Buffer.from(sealed, 'base64'))) as Record<string, string>;
    } catch {
      return undefined; // keychain changed: the person enters the key again
    }
  }

  baseUrl(id: CloudProviderId): string | undefined {
    return this.store.get('baseUrls')[id];
  }

  set(id: CloudProviderId, patch: { credentials?: Record<string, string> | null; baseUrl?: string | null }): void {
    if (patch.credentials !== undefined) {
      const all = { ...this.store.get('credentials') };
      if (patch.credentials === null) delete all[id];
      else all[id] = safeStorage.encryptString(JSON.stringify(patch.credentials)).toString('base64');
      this.store.set('credentials', all);
    }
    if (patch.baseUrl !== undefined) {
      const all = { ...this.store.get('baseUrls') };
      if (patch.baseUrl === null) delete all[id];
      else all[id] = patch.baseUrl;
      this.store.set('baseUrls', all);
    }
  }
}
