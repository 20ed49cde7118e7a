// Issue "done when": for each cloud provider, `storyreel render` of a three-shot storyboard — one shot with
// a start frame, two shots grouped as one multi-shot request — against that provider's mock produces a
// correct cut; the mock saw exactly one submission per job, shaped as docs/providers.md says; the printed
// estimate is the pricing table's figure, worked out by hand below (not by calling the code under test).
// Then the refusals: a 20 s shot, a 7-shot group, voices on Replicate and an end frame without a start
// frame are each refused before any request reaches the provider, naming shot and field.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  tier: 'standard' | 'pro';
  /**
   * The storyboard: shot 1 (4 s, sound on, start frame, CFG 0.6) alone; shots 2–3 (3 s + 4 s, silent) as
   * one group. Rates per second from shared/pricing.ts (docs/providers.md §2.10, §3.7, §4.7, §5.9):
   *   fal pro 0.168 with audio, 0.112 without:   4 × 0.168 + 7 × 0.112 = 0.672 + 0.784 = 1.456
   *   Replicate pro 0.252 / 0.168:               4 × 0.252 + 7 × 0.168 = 1.008 + 1.176 = 2.184
   *   Lumenfall standard (fal route) 0.126 / 0.084: 4 × 0.126 + 7 × 0.084 = 0.504 + 0.588 = 1.092
   *   Kling pro (fal pro as the stand-in) 0.168 / 0.112:                                   1.456
   */
  estimate: { single: number; group: number; printed: string };
  start: () => Promise<RunningMock>;
  env: (url: string) => Record<string, string>;
  /** Checks the submissions (path and body) against docs/providers.md. */
  bodies: (single: { path: string; body: Record<string, unknown> }, group: { path: string; body: Record<string, unknown> }) => void;
}

const SHOTS = [
  { prompt: 'Close-up: the keeper', duration: '3' },
  { prompt: 'The lamp turns', duration: '4' },
];

const CASES: Case[] = [
  {
    id: 'fal',
    tier: 'pro',
    estimate: { single: 0.672, group: 0.784, printed: '$1.46' },
    start: () => startFalMock(),
    env: (url) => ({ FAL_KEY: FAL_MOCK_KEY, STORYREEL_FAL_URL: url }),
    bodies: (single, group) => {
      // §2.1: the tier and the mode are the endpoint; §2.6: the start frame makes it image-to-video.
      expect(single.path).toBe('/fal-ai/kling-video/v3/pro/image-to-video');
      expect(single.body).toEqual({
        prompt: 'The harbour at dawn',
        duration: '4',
        generate_audio: true,
        cfg_scale: 0.6,
        // §2.6: uploaded to fal's storage first (as @fal-ai/client does), sent as its URL — never inline.
        start_image_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/cdn\/[0-9a-f-]+\/start\.png$/),
      });
      expect(group.path).toBe('/fal-ai/kling-video/v3/pro/text-to-video');
      // §2.7: multi_prompt with string durations, shot_type customize, no prompt beside it.
      expect(group.body).toEqual({ multi_prompt: SHOTS, shot_type: 'customize', duration: '7', aspect_ratio: '16:9', generate_audio: false, cfg_scale: 0.5 });
    },
  },
  {
    id: 'replicate',
    tier: 'pro',
    estimate: { single: 1.008, group: 1.176, printed: '$2.18' },
    start: () => startReplicateMock(),
    env: (url) => ({ REPLICATE_API_TOKEN: REPLICATE_MOCK_TOKEN, STORYREEL_REPLICATE_URL: `${url}/v1` }),
    bodies: (single, group) => {
      expect(single.path).toBe('/v1/models/kwaivgi/kling-v3-video/predictions');
      // §3.4: integer duration, mode, generate_audio always stated, start_image; no cfg_scale on this model.
      expect(single.body).toEqual({
        input: { prompt: 'The harbour at dawn', mode: 'pro', duration: 4, generate_audio: true, start_image: expect.stringMatching(/^data:image\/png;base64,/) },
      });
      const input = (group.body as { input: Record<string, unknown> }).input;
      expect(input).toMatchObject({ mode: 'pro', duration: 7, aspect_ratio: '16:9', generate_audio: false });
      // multi_prompt is a JSON *string* of integer durations; prompt is still required.
      expect(JSON.parse(input.multi_prompt as string)).toEqual(SHOTS.map((s) => ({ prompt: s.prompt, duration: Number(s.duration) })));
      expect(input.prompt).toEqual(expect.stringContaining('The lamp turns'));
    },
  },
  {
    id: 'lumenfall',
    tier: 'standard',
    estimate: { single: 0.504, group: 0.588, printed: '$1.09' },
    start: () => startLumenfallMock(),
    env: (url) => ({ LUMENFALL_API_KEY: LUMENFALL_MOCK_KEY, STORYREEL_LUMENFALL_URL: `${url}/openai/v1` }),
    bodies: (single, group) => {
      expect(single.path).toBe('/openai/v1/videos');
      // §4.3: model, prompt, seconds, input_reference[{image_url}], the idempotency key as a body field.
      expect(single.body).toMatchObject({
        model: 'kling-v3',
        prompt: 'The harbour at dawn',
        seconds: '4',
        generate_audio: true,
        cfg_scale: 0.6,
        input_reference: [{ image_url: expect.stringMatching(/^data:image\/png;base64,/) }],
        idempotency_key: expect.any(String),
      });
      expect(single.body).not.toHaveProperty('mode'); // standard = the fal route
      expect(group.body).toMatchObject({ model: 'kling-v3', seconds: '7', shot_type: 'customize', multi_prompt: SHOTS, generate_audio: false });
      expect(group.body.idempotency_key).not.toBe(single.body.idempotency_key);
    },
  },
  {
    id: 'kling',
    tier: 'pro',
    estimate: { single: 0.672, group: 0.784, printed: '$1.46' },
    start: () => startKlingMock(),
    env: (url) => ({ KLING_ACCESS_KEY: KLING_MOCK_ACCESS_KEY, KLING_SECRET_KEY: KLING_MOCK_SECRET_KEY, STORYREEL_KLING_URL: url }),
    bodies: (single, group) => {
      // §5.4: image2video with bare base64 (no data: prefix) and no aspect_ratio; sound as "on"/"off".
      expect(single.path).toBe('/v1/videos/image2video');
      expect(single.body).toEqual({
        model_name: 'kling-v3',
        prompt: 'The harbour at dawn',
        mode: 'pro',
        sound: 'on',
        cfg_scale: 0.6,
        duration: '4',
        image: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
        external_task_id: expect.any(String),
      });
      // §5.3, §5.10: multi_shot true, shot_type, multi_prompt with index and string durations.
      expect(group.path).toBe('/v1/videos/text2video');
      expect(group.body).toMatchObject({ model_name: 'kling-v3', multi_shot: true, shot_type: 'customize', duration: '7', mode: 'pro', sound: 'off', aspect_ratio: '16:9' });
      expect(group.body.multi_prompt).toEqual(SHOTS.map((s, i) => ({ index: i + 1, ...s })));
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
    'title,prompt,duration,start_frame,group,audio,cfg_scale\n' +
      'Harbour,The harbour at dawn,4,frames/start.png,,on,0.6\n' +
      'Keeper,Close-up: the keeper,3,,storm,off,\n' +
      'Lamp,The lamp turns,4,,storm,off,\n',
  );
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string>) {
  return exec(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, STORYREEL_TIMING_SCALE: '0.05', ...env }, maxBuffer: 16 << 20 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe.each(CASES)('storyreel render --provider $id --tier $tier against its mock', (c) => {
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
    const res = await run(['render', project, '--provider', c.id, '--tier', c.tier], c.env(mock.url));
    expect(res.code).toBe(1);
    // The estimate comes first, then the refusal.
    expect(res.stdout).toContain(`Estimate: ${c.estimate.printed} for 2 requests (11 s of video)`);
    expect(res.stderr).toContain('Run again with --yes');
    expect(mock.state.log).toEqual([]);
  });

  it('prints the pricing table estimate, renders the cut, and submits exactly one request per job', async () => {
    const out = path.join(base, `${c.id}.mp4`);
    const res = await run(['render', project, '--provider', c.id, '--tier', c.tier, '--yes', '--out', out], c.env(mock.url));
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    expect(res.stdout).toContain(`Estimate: ${c.estimate.printed} for 2 requests (11 s of video)`);
    // The estimate is printed before anything is sent.
    expect(res.stdout.indexOf('Estimate:')).toBeLessThan(res.stdout.indexOf('submitting'));

    const submissions = mock.state.submissions();
    expect(submissions).toHaveLength(2);
    // Jobs are sent side by side, so the single shot and the group may arrive in either order.
    const isGroup = (b: unknown) => JSON.stringify(b).includes('multi_prompt');
    const [single, group] = submissions
      .map((s) => ({ path: s.path, body: s.body as Record<string, unknown> }))
      .sort((a, b) => Number(isGroup(a.body)) - Number(isGroup(b.body)));
    c.bodies(single, group);

    const cut = await ffprobe(out);
    expect(Math.abs(Number(cut.format.duration) - 11)).toBeLessThan(0.1);
    expect(cut.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    const doc = JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8'));
    const takes = doc.shots.map((shot: { takes: { id: string }[]; selectedTakeId: string }) => shot.takes.find((t) => t.id === shot.selectedTakeId));
    for (const take of takes) expect(take).toMatchObject({ provider: c.id, tier: c.tier, status: 'ready' });
    // The single shot came back with the sound it asked for; the group's one clip was cut into its shots.
    expect(takes[0].media).toMatchObject({ durationSec: 4, hasAudio: true });
    expect(takes[1].media.durationSec).toBeCloseTo(3, 1);
    expect(takes[2].media.durationSec).toBeCloseTo(4, 1);

    const ledger = (await fs.readFile(path.join(project, 'ledger.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const estimates = ledger.filter((l) => l.kind === 'estimate').map((l: { usd: number }) => l.usd).sort();
    expect(estimates).toEqual([c.estimate.single, c.estimate.group].sort());
  });

  it('a second render sends nothing more', async () => {
    const res = await run(['render', project, '--provider', c.id, '--tier', c.tier, '--yes'], c.env(mock.url));
    expect(res.stdout).toContain('Nothing to generate');
    expect(mock.state.submissions()).toHaveLength(2);
  });
});

describe('refusals before any request is sent, naming shot and field', () => {
  let mock: RunningMock;
  let env: Record<string, string>;
  beforeAll(async () => {
    mock = await startReplicateMock();
    env = { REPLICATE_API_TOKEN: REPLICATE_MOCK_TOKEN, STORYREEL_REPLICATE_URL: `${mock.url}/v1` };
  });
  afterAll(() => mock.close());

  const shot = (id: string, title: string, durationSec: number, extra: object = {}) => ({
    id, title, prompt: `${title} prompt`, negativePrompt: '', durationSec, cfgScale: 0.5, elementIds: [],
    audio: { native: false, voiceIds: [], dialogue: [] }, notes: '', takes: [], ...extra,
  });

  /** A project whose project.json is then replaced by `edit` — as a person editing the file by hand would. */
  async function handEdited(name: string, edit: (doc: { shots: unknown[]; groups: unknown[] }) => void): Promise<string> {
    const project = path.join(base, `${name}.storyreel`);
    const made = await run(['new', project, '--shots', path.join(base, 'shots.csv')], {});
    expect(made.code, made.stderr).toBe(0);
    const file = path.join(project, 'project.json');
    const doc = JSON.parse(await fs.readFile(file, 'utf8'));
    edit(doc);
    await fs.writeFile(file, JSON.stringify(doc));
    return project;
  }

  it('the shot list refuses a 20 s shot, a 7-row group and an end frame without a start frame, by row and column', async () => {
    const csv = async (name: string, text: string) => {
      const file = path.join(base, `${name}.csv`);
      await fs.writeFile(file, text);
      const project = path.join(base, `${name}.storyreel`);
      const res = await run(['new', project, '--shots', file], {});
      expect(res.code).toBe(1);
      await expect(fs.access(project)).rejects.toThrow();
      return res.stderr;
    };
    expect(await csv('long', 'title,prompt,duration\nLong,a long take,20\n')).toContain('row 2, column duration: 20 s is outside 3–15 s');
    const seven = Array.from({ length: 7 }, (_, i) => `S${i + 1},shot ${i + 1},3,big`).join('\n');
    expect(await csv('seven', `title,prompt,duration,group\n${seven}\n`)).toContain('row 2, column group: "big" has 7 rows; a multi-shot group needs 2–6 consecutive rows');
    expect(await csv('endonly', 'title,prompt,duration,end_frame\nEnd,the end,5,frames/start.png\n')).toContain('row 2, column end_frame: an end frame needs a start frame in the same row');
  });

  it('render skips voices on Replicate, an end frame without a start frame and a group over 15 s, naming each; the provider sees only the valid shot', async () => {
    const project = await handEdited('bad', (doc) => {
      doc.shots = [
        shot('long', 'Long', 15),
        ...Array.from({ length: 6 }, (_, i) => shot(`g${i}`, `G${i + 1}`, 3)),
        shot('voices', 'Voices', 5, { audio: { native: true, voiceIds: ['v1'], dialogue: [] } }),
        shot('endonly', 'End only', 5, { endFrame: (doc.shots[0] as { startFrame: string }).startFrame }),
      ];
      doc.groups = [{ id: 'big', shotIds: ['g0', 'g1', 'g2', 'g3', 'g4', 'g5'], shotType: 'customize' }];
    });
    const res = await run(['render', project, '--provider', 'replicate', '--yes'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Skipping 8 shots with problems; nothing is sent for them');
    expect(res.stderr).toContain('group of shots 2–7, duration: 18 s is outside 3–15 s');
    expect(res.stderr).toContain('shot 8 “Voices”, voices: Replicate has no voice control');
    expect(res.stderr).toContain('shot 9 “End only”, end frame: an end frame needs a start frame');
    // Only shot 1 is priced and sent (Replicate standard, silent: 15 × $0.084 = $1.26).
    expect(res.stdout).toContain('Estimate: $1.26 for 1 request (15 s of video) on Replicate');
    expect(mock.state.submissions().map((r) => (r.body as { input: { prompt: string } }).input.prompt)).toEqual(['Long prompt']);
    mock.state.log.length = 0; // the refusals below check that the provider sees nothing of theirs
  });

  it.each([
    ['a 20 s shot', (doc: { shots: unknown[] }) => void ((doc.shots[0] as { durationSec: number }).durationSec = 20), /shot 1 “Harbour”\.durationSec: duration must be at most 15 s/],
    [
      'a 7-shot group',
      (doc: { shots: unknown[]; groups: unknown[] }) => {
        doc.shots.push(...Array.from({ length: 5 }, (_, i) => shot(`x${i}`, `X${i + 1}`, 3)));
        doc.groups = [{ id: 'big', shotIds: (doc.shots as { id: string }[]).slice(1, 8).map((s) => s.id), shotType: 'customize' }];
      },
      /group 1\.shotIds/,
    ],
  ])('a project.json edited by hand to hold %s is refused, not rendered from the backup', async (what, edit, named) => {
    const project = await handEdited(what.replace(/\W+/g, '-'), edit);
    const res = await run(['render', project, '--provider', 'replicate', '--yes'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(named);
    expect(res.stderr).toContain('Nothing was sent');
    expect(mock.state.log).toEqual([]);
  });
});

describe('progress while jobs wait in the provider queue', () => {
  it('says each time a waiting job moves up in fal.ai’s queue', async () => {
    const mock = await startFalMock();
    try {
      // Three jobs sent together wait 1.5 s in the queue: the last one sent sees the two before it leave.
      mock.state.timing = { queueMs: 1500, runMs: 100 };
      const project = path.join(base, 'queue.storyreel');
      await fs.writeFile(path.join(base, 'queue.csv'), 'title,prompt,duration\nOne,Gulls,3\nTwo,Boats,3\nThree,Nets,3\n');
      const made = await run(['new', project, '--shots', path.join(base, 'queue.csv')], {});
      expect(made.code, made.stderr).toBe(0);
      const res = await run(['render', project, '--provider', 'fal', '--yes'], { FAL_KEY: FAL_MOCK_KEY, STORYREEL_FAL_URL: mock.url });
      expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
      const waits = res.stdout.split('\n').filter((l) => l.includes('waiting:'));
      // Each job hears its place whenever it changes, and the place only goes down.
      const places = (title: string) => waits.filter((l) => l.includes(`“${title}” waiting:`)).map((l) => (/waiting: next/.test(l) ? 0 : Number(/waiting: (\d+) ahead in fal\.ai's queue/.exec(l)?.[1])));
      for (const title of ['One', 'Two', 'Three']) {
        const seen = places(title);
        expect(seen.length, `${title}: ${res.stdout}`).toBeGreaterThanOrEqual(1);
        expect(seen.every((n, i) => Number.isInteger(n) && (i === 0 || n < seen[i - 1])), `${title}: ${seen}`).toBe(true);
      }
      expect(['One', 'Two', 'Three'].some((t) => places(t).length >= 2), res.stdout).toBe(true);
      // Lines appear only when the place changes, not at every poll.
      expect(new Set(waits).size).toBe(waits.length);
    } finally {
      await mock.close();
    }
  });
});
