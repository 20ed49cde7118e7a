// Settings of this computer rather than of a project: how many requests run at once, which ffmpeg to
// use, the prices a person set by hand (a rate negotiated for the account whose key is on this computer),
// and — for the browser host, which has no OS keychain — provider keys. Kept as JSON in the user's
// config folder (STORYREEL_CONFIG_DIR, else $XDG_CONFIG_HOME/storyreel, else ~/.config/storyreel), in a
// file only its owner can read (0600), the way command-line tools keep their tokens. `conf` (electron-store's
// engine, for processes without Electron) does the atomic writes.
import { mkdirSync } from 'node:fs';
import Conf from 'conf';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { TierId } from '../../shared/capabilities';
import { PriceOverridesSchema, type PriceKind, type PriceOverrides } from '../../shared/pricing';
import type { ProviderId } from '../../shared/schema';
import type { ProviderSettingsStore } from './providers/provider-settings';
import type { CloudProviderId } from './providers/registry';

const FileSchema = z.object({
  concurrency: z.number().int().min(1).max(8).optional(),
  ffmpegPath: z.string().optional(),
  credentials: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  baseUrls: z.record(z.string(), z.string()).default({}),
  /** Project folders the browser host opened, most recent first (the desktop app keeps its own, in its shell store). */
  recentProjects: z.array(z.string()).default([]),
  /** Prices set by hand (provider → tier → kind); a damaged entry drops the prices only, never the keys. */
  prices: PriceOverridesSchema.catch({}).default({}),
});
type SettingsFile = z.infer<typeof FileSchema>;

export const DEFAULT_CONCURRENCY = 2;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STORYREEL_CONFIG_DIR) return path.resolve(env.STORYREEL_CONFIG_DIR);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'storyreel');
}

export class AppSettingsFile {
  readonly file: string;
  private readonly store: Conf<Record<string, unknown>>;
  private data: SettingsFile;

  constructor(dir = configDir()) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.store = new Conf<Record<string, unknown>>({
      cwd: dir,
      configName: 'settings',
      projectName: 'storyreel',
      configFileMode: 0o600,
      accessPropertiesByDotNotation: false,
      serialize: (value) => JSON.stringify(value, null, 2),
      // A damaged file (it holds keys, and people edit it) is left on disk until the next change replaces it.
      deserialize: (text) => {
        try {
          return JSON.parse(text) as Record<string, unknown>;
        } catch {
          return {};
        }
      },
    });
    this.file = this.store.path;
    const parsed = FileSchema.safeParse(this.store.store);
    // Fields that do not fit are dropped: start from defaults rather than refuse to start.
    this.data = parsed.success ? parsed.data : FileSchema.parse({});
  }

  private write(): void {
    this.store.store = this.data as unknown as Record<string, unknown>;
  }

  get concurrency(): number {
    return this.data.concurrency ?? DEFAULT_CONCURRENCY;
  }
  get ffmpegPath(): string | undefined {
    return this.data.ffmpegPath;
  }

  update(patch: { concurrency?: number; ffmpegPath?: string | null }): void {
    if (patch.concurrency !== undefined) this.data.concurrency = patch.concurrency;
    if (patch.ffmpegPath === null) delete this.data.ffmpegPath;
    else if (patch.ffmpegPath !== undefined) this.data.ffmpegPath = patch.ffmpegPath;
    this.write();
  }

  /** The prices set by hand in Settings; everything else is the published table (shared/pricing.ts). */
  get prices(): PriceOverrides {
    return this.data.prices as PriceOverrides;
  }

  /** Sets one price (USD per second, dated `setAt`), or with null goes back to the published figure. */
  setPrice(at: { provider: ProviderId; tier: TierId; kind: PriceKind }, price: { usdPerSec: number; setAt: string } | null): void {
    const byTier = (this.data.prices[at.provider] ??= {});
    const byKind = (byTier[at.tier] ??= {});
    if (price) byKind[at.kind] = price;
    else delete byKind[at.kind];
    if (Object.keys(byKind).length === 0) delete byTier[at.tier];
    if (Object.keys(byTier).length === 0) delete this.data.prices[at.provider];
    this.write();
  }

  get recentProjects(): readonly string[] {
    return this.data.recentProjects;
  }

  /** Puts a project folder first in the recent list (at most ten are kept). */
  addRecentProject(dir: string): void {
    this.data.recentProjects = [dir, ...this.data.recentProjects.filter((d) => d !== dir)].slice(0, 10);
    this.write();
  }

  removeRecentProject(dir: string): void {
    this.data.recentProjects = this.data.recentProjects.filter((d) => d !== dir);
    this.write();
  }

  /** Provider keys in this file (browser host). The desktop app keeps keys in the OS keychain instead. */
  providerStore(): ProviderSettingsStore {
    return {
      writable: true,
      credentials: (id: CloudProviderId) => this.data.credentials[id],
      baseUrl: (id: CloudProviderId) => this.data.baseUrls[id],
      set: (id, patch) => {
        if (patch.credentials === null) delete this.data.credentials[id];
        else if (patch.credentials !== undefined) this.data.credentials[id] = patch.credentials;
        if (patch.baseUrl === null) delete this.data.baseUrls[id];
        else if (patch.baseUrl !== undefined) this.data.baseUrls[id] = patch.baseUrl;
        this.write();
      },
    };
  }
}
