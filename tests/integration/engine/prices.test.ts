// A price set by hand in Settings is the figure every money decision uses: the estimate the confirmation
// shows (and which table it says), the budget refusal, and the ledger's estimate line written before each
// request is sent. Against the fal mock, with this computer's settings file in a scratch folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { AppSettingsFile } from '../../../electron/core/app-settings';
import { LEDGER_FILE } from '../../../electron/core/jobs/ledger';
import { envConfig } from '../../../electron/core/providers/registry';
import { priceDate } from '../../../shared/pricing';
import type { RunningMock } from '../../mock-providers/common';
import { startFalMock } from '../../mock-providers/fal';
import { tempDir } from '../helpers';
import { makeProject, providerEnv, runCli } from './helpers';

let base: string;
let fal: RunningMock;
beforeAll(async () => {
  base = await tempDir('sr-prices-');
  fal = await startFalMock();
});
afterAll(async () => {
  await fal?.close();
  await fs.rm(base, { recursive: true, force: true });
});

const shots = [
  { title: 'Harbour', prompt: 'The harbour at dawn', durationSec: 5 },
  { title: 'Lamp', prompt: 'The lamp turns', durationSec: 5 },
];

describe('a price of your own', () => {
  it('changes the estimate and says so, refuses what the budget no longer allows, and is the ledger estimate', async () => {
    const dir = path.join(base, 'own.storyreel');
    // fal Standard, silent: 2 × 5 s × $0.084 = $0.84 published, within a $1.00 budget.
    await makeProject({ dir, provider: 'fal', budgetUsd: 1, shots });
    const appSettings = new AppSettingsFile(path.join(base, 'config'));
    const studio = await Studio.open(dir, { host: 'browser', appSettings, resolveConfig: envConfig(providerEnv('fal', fal.url)), engineTiming: { scale: 0.02 } });
    try {
      const published = await studio.call('jobs.estimate', {});
      expect(published.estimatedUsd).toBe(0.84);
      expect(published.priceSources).toEqual(['fal.ai price list of 2026-03-13']);

      // $0.12 a second: 2 × 5 × 0.12 = $1.20, over the budget by $0.20.
      const saved = await studio.call('app.updateSettings', { price: { provider: 'fal', tier: 'standard', kind: 'audioOff', usdPerSec: 0.12 } });
      expect(saved.prices.fal?.standard?.audioOff).toEqual({ usdPerSec: 0.12, setAt: priceDate() });
      const mine = await studio.call('jobs.estimate', {});
      expect(mine.estimatedUsd).toBe(1.2);
      expect(mine.lines.map((l) => [l.usd, l.priceSource])).toEqual([
        [0.6, `your price, set ${priceDate()}`],
        [0.6, `your price, set ${priceDate()}`],
      ]);
      expect(mine.priceSources).toEqual([`your price, set ${priceDate()}`]);
      expect(mine.budget?.overByUsd).toBe(0.2);

      const before = fal.state.submissions().length;
      await expect(studio.call('jobs.generate', { expectedUsd: 1.2 })).rejects.toThrow('Over budget: this would send $1.20 of work, taking the project to $1.20 of its $1.00 budget — $0.20 too much. Nothing was sent.');
      expect(fal.state.submissions().length).toBe(before);

      // $0.09 a second fits ($0.90); what is sent is recorded at that price, not the published $0.084.
      await studio.call('app.updateSettings', { price: { provider: 'fal', tier: 'standard', kind: 'audioOff', usdPerSec: 0.09 } });
      const { jobIds, estimatedUsd } = await studio.call('jobs.generate', { expectedUsd: 0.9 });
      expect(estimatedUsd).toBe(0.9);
      await studio.services.jobs.idle();
      const ledger = (await fs.readFile(path.join(dir, LEDGER_FILE), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      const estimates = ledger.filter((e) => e.kind === 'estimate');
      expect(estimates.map((e) => [e.jobId, e.usd]).sort()).toEqual(jobIds.map((id) => [id, 0.45]).sort());

      // Reset to the published price: the estimate is the price list's again.
      const reset = await studio.call('app.updateSettings', { price: { provider: 'fal', tier: 'standard', kind: 'audioOff', usdPerSec: null } });
      expect(reset.prices).toEqual({});
      const again = await studio.call('jobs.estimate', { shotIds: [studio.session.current.shots[0].id] });
      expect([again.estimatedUsd, again.priceSources]).toEqual([0.42, ['fal.ai price list of 2026-03-13']]);
    } finally {
      await studio.close();
    }
  });

  it('is refused, naming the field, where there is no published price to replace', async () => {
    const dir = path.join(base, 'refused.storyreel');
    await makeProject({ dir, provider: 'fal', shots });
    const appSettings = new AppSettingsFile(path.join(base, 'config-refused'));
    const studio = await Studio.open(dir, { host: 'browser', appSettings });
    try {
      await expect(studio.call('app.updateSettings', { price: { provider: 'kling', tier: '4k', kind: 'audioOn', usdPerSec: 0.3 } })).rejects.toThrow(
        'price: Kling (official API) has no 4k tier, so the Kling (official API) 4k price (audio on) cannot be set. No price was changed.',
      );
      expect(appSettings.prices).toEqual({});
    } finally {
      await studio.close();
    }
  });

  it('storyreel render estimates with the prices in this computer’s settings file and names the table', async () => {
    const dir = path.join(base, 'cli.storyreel');
    await makeProject({ dir, provider: 'fal', shots });
    const config = path.join(base, 'config-cli');
    new AppSettingsFile(config).setPrice({ provider: 'fal', tier: 'standard', kind: 'audioOff' }, { usdPerSec: 0.1, setAt: '2026-12-02' });
    const run = await runCli(['render', dir, '--yes'], { ...providerEnv('fal', fal.url), STORYREEL_CONFIG_DIR: config });
    expect(run.stdout).toContain('Estimate: $1.00 for 2 requests (10 s of video) on fal.ai');
    expect(run.stdout).toContain('  prices: your price, set 2026-12-02');
  });
});
