// A take records the tier it was made at. The tiers a request can ask for and the tiers a take can carry
// come from one table (shared/capabilities.ts): a 4K request used to be recorded as a `pro` take, because
// the take's schema only knew standard and pro.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/core/jobs/engine';
import { SlotScheduler } from '../../../electron/core/jobs/scheduler';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { ProjectSession } from '../../../electron/core/project/session';
import type { ProviderAdapter } from '../../../electron/core/providers/provider';
import { ProjectSchema, type ProviderId } from '../../../shared/schema';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A fal stand-in whose jobs stay running: the take exists from the moment the job is planned. */
const running: ProviderAdapter = {
  id: 'fal',
  pollIntervalMs: 60_000,
  maxPollIntervalMs: 60_000,
  buildSubmit: () => ({ method: 'POST', url: 'x', headers: {}, body: {} }),
  submit: async () => ({ ref: JSON.stringify({ requestId: 'req-1' }) }),
  poll: async () => ({ state: 'running' }),
};

describe('the tier a take records', () => {
  it('is 4k for a 4K request, on screen and in project.json after a save and reopen', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-take-tier-'));
    cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
    const doc = newProject('Tiers', [newShot({ title: 'Harbour', prompt: 'a harbour at dawn', durationSec: 5 })]);
    doc.settings.provider = 'fal';
    await createProjectFolder(dir, doc);

    const session = await ProjectSession.open(dir);
    const engine = new Engine({
      session,
      providers: new Map<ProviderId, ProviderAdapter>([['fal', running]]),
      resolveConfig: () => ({ baseUrl: 'http://127.0.0.1:9', credentials: { key: 'k:s' } }),
      scheduler: new SlotScheduler(),
      timing: { scale: 0 },
    });
    cleanup.push(async () => {
      await engine.close();
      await session.close();
    });
    await engine.resume();

    await engine.generate({ tier: '4k' });
    const take = session.current.shots[0].takes[0];
    expect(take.tier).toBe('4k');

    await session.flush();
    const saved = ProjectSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')));
    expect(saved.shots[0].takes.map((t) => t.tier)).toEqual(['4k']);
  });
});
