// Issue "done when": for each cloud provider, `storyreel render` of a three-shot storyboard — one shot with
// a start frame, two shots grouped as one multi-shot request — against that provider's mock produces a
// correct cut; the mock saw exactly one submission per job; the printed estimate is the pricing table's.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateUsd, formatUsd } from '../../shared/pricing';
import type { ProviderId } from '../../shared/schema';
import type { RunningMock } from '../mock-providers/common';
import { FAL_MOCK_KEY, startFalMock } from '../mock-providers/fal';
import { KLING_MOCK_ACCESS_KEY, KLING_MOCK_SECRET_KEY, startKlingMock } from '../mock-providers/kling';
import { LUMENFALL_MOCK_KEY, startLumenfallMock } from '../mock-providers/lumenfall';
import { REPLICATE_MOCK_TOKEN, startReplicateMock } from '../mock-providers/replicate';
import { CLI, ROOT, ffprobe, tempDir } from './helpers';

const exec = promisify(execFile);

interface Case {
  id: Exclude<ProviderId, 'animatic'>;
  start: () => Promise<RunningMock>;
  env: (url: string) => Record<string, string>;
  /** Checks the submission bodies against PROVIDERS.md. */
  bodies: (bodies: Record<string, unknown>[]) => void;
}

const CASES: Case[] = [
  {
    id: 'fal',
    start: () => startFalMock(),
    env: (url) => ({ FAL_KEY: FAL_MOCK_KEY, STORYREEL_FAL_URL: url }),
    bodies: ([single, group]) => {
      expect(single).toMatchObject({ duration: '4', start_image_url: expect.stringMatching(/^data:image\/png;base64,/) });
      expect(group).toMatchObject({ duration: '7', shot_type: 'customize', multi_prompt: [{ prompt: 'Close-up: the keeper', duration: '3' }, { prompt: 'The lamp turns', duration: '4' }] });
      expect(group).not.toHaveProperty('prompt');
    },
  },
  {
    id: 'replicate',
    start: () => startReplicateMock(),
    env: (url) => ({ REPLICATE_API_TOKEN: REPLICATE_MOCK_TOKEN, STORYREEL_REPLICATE_URL: `${url}/v1` }),
    bodies: ([single, group]) => {
      expect((single as { input: Record<string, unknown> }).input).toMatchObject({ duration: 4, mode: 'standard', start_image: expect.stringMatching(/^data:image\/png/) });
      const input = (group as { input: Record<string, unknown> }).input;
      expect(input.duration).toBe(7);
      expect(JSON.parse(input.multi_prompt as string)).toEqual([{ prompt: 'Close-up: the keeper', duration: 3 }, { prompt: 'The lamp turns', duration: 4 }]);
      expect(typeof input.prompt).toBe('string');
    },
  },
  {
    id: 'lumenfall',
    start: () => startLumenfallMock(),
    env: (url) => ({ LUMENFALL_API_KEY: LUMENFALL_MOCK_KEY, STORYREEL_LUMENFALL_URL: `${url}/openai/v1` }),
    bodies: ([single, group]) => {
      expect(single).toMatchObject({ model: 'kling-v3', seconds: '4', input_reference: [{ image_url: expect.stringMatching(/^data:image\/png/) }], idempotency_key: expect.any(String) });
      expect(group).toMatchObject({ model: 'kling-v3', seconds: '7', shot_type: 'customize', multi_prompt: [{ prompt: 'Close-up: the keeper', duration: '3' }, { prompt: 'The lamp turns', duration: '4' }] });
    },
  },
  {
    id: 'kling',
    start: () => startKlingMock(),
    env: (url) => ({ KLING_ACCESS_KEY: KLING_MOCK_ACCESS_KEY, KLING_SECRET_KEY: KLING_MOCK_SECRET_KEY, STORYREEL_KLING_URL: url }),
    bodies: ([single, group]) => {
      expect(single).toMatchObject({ model_name: 'kling-v3', duration: '4', mode: 'std', image: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
      expect(group).toMatchObject({ model_name: 'kling-v3', multi_shot: true, shot_type: 'customize', duration: '7' });
      expect((group as { multi_prompt: unknown[] }).multi_prompt).toEqual([
        { index: 1, prompt: 'Close-up: the keeper', duration: '3' },
        { index: 2, prompt: 'The lamp turns', duration: '4' },
      ]);
    },
  },
];

let base: string;
beforeAll(async () => {
  base = await tempDir('sr-providers-');
  await fs.mkdir(path.join(base, 'frames'));
  await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x334455:s=640x360', '-frames:v', '1', path.join(base, 'frames', 'start.png')]);
  await fs.writeFile(
    path.join(base, 'shots.csv'),
    'title,prompt,duration,start_frame,group\n' +
      'Harbour,The harbour at dawn,4,frames/start.png,\n' +
      'Keeper,Close-up: the keeper,3,,storm\n' +
      'Lamp,The lamp turns,4,,storm\n',
  );
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string>) {
  return exec(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, STORYREEL_TIMING_SCALE: '0.05', ...env }, maxBuffer: 16 << 20 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe.each(CASES)('storyreel render --provider $id against its mock', (c) => {
  let mock: RunningMock;
  let project: string;
  beforeAll(async () => {
    mock = await c.start();
    mock.state.timing = { queueMs: 100, runMs: 200 };
    project = path.join(base, `${c.id}.storyreel`);
    const made = await run(['new', project, '--shots', path.join(base, 'shots.csv')], {});
    expect(made.code, made.stderr).toBe(0);
  });
  afterAll(() => mock.close());

  it('refuses to spend money without a terminal unless --yes is given, and sends nothing', async () => {
    const res = await run(['render', project, '--provider', c.id], c.env(mock.url));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Run again with --yes');
    expect(mock.state.submissions()).toHaveLength(0);
  });

  it('prints the pricing table estimate, renders the cut, and submits exactly one request per job', async () => {
    const out = path.join(base, `${c.id}.mp4`);
    const res = await run(['render', project, '--provider', c.id, '--yes', '--out', out], c.env(mock.url));
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    const expected = estimateUsd({ provider: c.id, tier: 'standard', durationSec: 4, audio: false, voiceControl: false }) +
      estimateUsd({ provider: c.id, tier: 'standard', durationSec: 7, audio: false, voiceControl: false });
    expect(res.stdout).toContain(`Estimate: ${formatUsd(expected)} for 2 requests (11 s of video)`);

    const submissions = mock.state.submissions();
    expect(submissions).toHaveLength(2);
    // Jobs are sent side by side, so the single shot and the group may arrive in either order.
    const isGroup = (b: unknown) => JSON.stringify(b).includes('multi_prompt');
    c.bodies(submissions.map((s) => s.body as Record<string, unknown>).sort((a, b) => Number(isGroup(a)) - Number(isGroup(b))));

    const cut = await ffprobe(out);
    expect(Math.abs(Number(cut.format.duration) - 11)).toBeLessThan(0.1);
    expect(cut.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    const doc = JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8'));
    for (const shot of doc.shots) {
      const take = shot.takes.find((t: { id: string }) => t.id === shot.selectedTakeId);
      expect(take).toMatchObject({ provider: c.id, status: 'ready' });
    }
    const ledger = (await fs.readFile(path.join(project, 'ledger.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const estimates = ledger.filter((l) => l.kind === 'estimate');
    expect(estimates).toHaveLength(2);
    expect(estimates.reduce((s: number, l: { usd: number }) => s + l.usd, 0)).toBeCloseTo(expected, 6);
  });

  it('a second render sends nothing more', async () => {
    const res = await run(['render', project, '--provider', c.id, '--yes'], c.env(mock.url));
    expect(res.stdout).toContain('Nothing to generate');
    expect(mock.state.submissions()).toHaveLength(2);
  });
});

describe('refusals before any request is sent', () => {
  it('a 20 s shot, a 7-shot group, voices on Replicate and an end frame without a start frame, each naming shot and field', async () => {
    const mock = await startReplicateMock();
    try {
      const project = path.join(base, 'bad.storyreel');
      await run(['new', project], {});
      const file = path.join(project, 'project.json');
      const doc = JSON.parse(await fs.readFile(file, 'utf8'));
      const shot = (id: string, title: string, durationSec: number, extra: object = {}) => ({
        id, title, prompt: `${title} prompt`, negativePrompt: '', durationSec, cfgScale: 0.5, elementIds: [],
        audio: { native: false, voiceIds: [], dialogue: [] }, notes: '', takes: [], ...extra,
      });
      doc.shots = [
        shot('long', 'Long', 15),
        ...Array.from({ length: 7 }, (_, i) => shot(`g${i}`, `G${i + 1}`, 3)),
        shot('voices', 'Voices', 5, { audio: { native: true, voiceIds: ['v1'], dialogue: [] } }),
        shot('endonly', 'End only', 5, { endFrame: 'media/refs/end.png' }),
      ];
      doc.groups = [{ id: 'big', shotIds: doc.shots.slice(1, 7).map((s: { id: string }) => s.id), shotType: 'customize' }];
      await fs.writeFile(file, JSON.stringify(doc));
      // 20 s cannot even be stored (the document refuses it), so it is tested through the CSV and the editor;
      // here the longest a shot can be is 15 s, and the 6-shot group of 3 s shots is 18 s: over the limit.
      const res = await run(['render', project, '--provider', 'replicate', '--yes'], { REPLICATE_API_TOKEN: REPLICATE_MOCK_TOKEN, STORYREEL_REPLICATE_URL: `${mock.url}/v1` });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('Nothing was sent');
      expect(res.stderr).toContain('group of shots 2–7, duration: 18 s is outside 3–15 s');
      expect(res.stderr).toContain('shot 9 “Voices”, voices: Replicate has no voice control');
      expect(res.stderr).toContain('shot 10 “End only”, end frame: an end frame needs a start frame');
      expect(mock.state.log.filter((r) => r.stage === 'submit')).toHaveLength(0);
    } finally {
      await mock.close();
    }
  });
});
