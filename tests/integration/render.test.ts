// The whole loop with real ffmpeg: CSV → project → animatic takes → stitched cut, through the CLI a user runs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ffprobe, storyreel, tempDir } from './helpers';

let base: string;
let project: string;
const CSV = [
  'title,prompt,duration,negative_prompt,aspect_ratio',
  'Opening,"Wide shot: a lighthouse in a storm, waves on the rocks",4,blur,',
  'Keeper,"Close-up: the keeper says ""hold on"" — 100% calm",3,,',
  'Portrait insert,The lamp turns,3,,9:16',
].join('\n');

beforeAll(async () => {
  base = await tempDir('sr-render-');
  project = path.join(base, 'film.storyreel');
  await fs.writeFile(path.join(base, 'shots.csv'), CSV);
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

describe('storyreel new + render (animatic)', () => {
  it('creates the project from the CSV', async () => {
    const res = await storyreel(['new', project, '--shots', path.join(base, 'shots.csv')]);
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain('with 3 shots (0:10)');
    const doc = JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8'));
    expect(doc.shots.map((s: { durationSec: number }) => s.durationSec)).toEqual([4, 3, 3]);
  });

  it('renders a cut with one H.264 and one AAC stream lasting the CSV total ± 0.1 s', async () => {
    const out = path.join(base, 'cut.mp4');
    const res = await storyreel(['render', project, '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Generating 3 shots with Animatic (local)');
    const info = await ffprobe(out);
    expect(info.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    const audio = info.streams.find((s) => s.codec_type === 'audio')!;
    expect(video).toMatchObject({ codec_name: 'h264', width: 1280, height: 720, pix_fmt: 'yuv420p' });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    expect(Number(info.format.duration)).toBeGreaterThan(10 - 0.1);
    expect(Number(info.format.duration)).toBeLessThan(10 + 0.1);
  });

  it('keeps every take on disk as a playable clip of its shot length, in its own aspect ratio', async () => {
    const doc = JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8'));
    for (const shot of doc.shots) {
      expect(shot.takes).toHaveLength(1);
      const take = shot.takes[0];
      expect(take.status).toBe('ready');
      expect(shot.selectedTakeId).toBe(take.id);
      const info = await ffprobe(path.join(project, take.media.path));
      expect(Math.abs(Number(info.format.duration) - shot.durationSec)).toBeLessThan(0.1);
    }
    const portrait = doc.shots[2].takes[0].media;
    expect([portrait.width, portrait.height]).toEqual([720, 1280]);
    const partials = await fs.readdir(path.join(project, 'media', 'takes'), { recursive: true });
    expect(partials.filter((f) => String(f).endsWith('.part'))).toEqual([]);
  });

  it('a second render with nothing changed generates nothing and keeps the cut', async () => {
    const before = await fs.stat(path.join(project, 'renders', 'preview.mp4'));
    const res = await storyreel(['render', project]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Nothing to generate');
    const doc = JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8'));
    expect(doc.shots.map((s: { takes: unknown[] }) => s.takes.length)).toEqual([1, 1, 1]);
    expect((await fs.stat(path.join(project, 'renders', 'preview.mp4'))).mtimeMs).toBe(before.mtimeMs);
  });

  it('after an edit, only the changed shot is generated again and the old take is kept', async () => {
    const file = path.join(project, 'project.json');
    const doc = JSON.parse(await fs.readFile(file, 'utf8'));
    doc.shots[1].prompt = 'Close-up: the keeper lights the lamp';
    doc.shots[1].durationSec = 5;
    await fs.writeFile(file, JSON.stringify(doc));
    const res = await storyreel(['render', project, '--out', path.join(base, 'cut2.mp4')]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Generating 1 shot with Animatic (local)');
    const after = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(after.shots.map((s: { takes: unknown[] }) => s.takes.length)).toEqual([1, 2, 1]);
    expect(after.shots[1].selectedTakeId).toBe(after.shots[1].takes[1].id);
    const info = await ffprobe(path.join(base, 'cut2.mp4'));
    expect(Math.abs(Number(info.format.duration) - 12)).toBeLessThan(0.1);
  });

  it('refuses a bad CSV naming row and column, and writes no project', async () => {
    await fs.writeFile(path.join(base, 'bad.csv'), 'title,prompt,duration\nA,ok,4\nB,too long,20\n');
    const res = await storyreel(['new', path.join(base, 'bad.storyreel'), '--shots', path.join(base, 'bad.csv')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('row 3, column duration: 20 s is outside 3–15 s');
    await expect(fs.stat(path.join(base, 'bad.storyreel'))).rejects.toThrow();
  });

  it('--takes 2 makes two variations of a shot, each its own request, and keeps both', async () => {
    const dir = path.join(base, 'variations.storyreel');
    await fs.writeFile(path.join(base, 'one.csv'), 'title,prompt,duration\nSolo,A single shot,3\n');
    await storyreel(['new', dir, '--shots', path.join(base, 'one.csv')]);
    const res = await storyreel(['render', dir, '--takes', '2']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Generating 1 shot (2 takes) in 2 requests');
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    const takes = doc.shots[0].takes;
    expect(takes.map((t: { status: string }) => t.status)).toEqual(['ready', 'ready']);
    expect(new Set(takes.map((t: { jobId: string }) => t.jobId)).size).toBe(2);
    expect(takes.map((t: { id: string }) => t.id)).toContain(doc.shots[0].selectedTakeId);
  });
});

describe('the sample project in examples/ (what `npm start` opens)', () => {
  let sample: string;
  const SAMPLE_SECONDS = 20; // 5 + 4 + 5 + 6: the four shots of examples/lighthouse.storyreel

  beforeAll(async () => {
    sample = path.join(base, 'Lighthouse.storyreel');
    await fs.cp(path.join(ROOT, 'examples', 'lighthouse.storyreel'), sample, { recursive: true });
  });

  it('renders with the animatic provider to a cut of its total length', async () => {
    const doc = JSON.parse(await fs.readFile(path.join(sample, 'project.json'), 'utf8'));
    expect(doc.settings.provider).toBe('animatic');
    expect(doc.shots.reduce((t: number, s: { durationSec: number }) => t + s.durationSec, 0)).toBe(SAMPLE_SECONDS);
    const out = path.join(base, 'lighthouse.mp4');
    const res = await storyreel(['render', sample, '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Generating 4 shots with Animatic (local)');
    const info = await ffprobe(out);
    expect(info.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    expect(Math.abs(Number(info.format.duration) - SAMPLE_SECONDS)).toBeLessThan(0.1);
  }, 180_000);

  it('a truncated project.json opens from its backup with a message, and nothing is lost', async () => {
    const main = path.join(sample, 'project.json');
    const whole = await fs.readFile(main, 'utf8');
    const preview = await fs.stat(path.join(sample, 'renders', 'preview.mp4'));
    await fs.writeFile(main, whole.slice(0, Math.floor(whole.length / 3)));

    const res = await storyreel(['render', sample]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/project\.json could not be read \(it is not valid JSON .*truncated\), so Storyreel opened the backup/);
    // The backup has every take: nothing is generated again and the cut is the one already made.
    expect(res.stdout).toContain('Nothing to generate');
    expect((await fs.stat(path.join(sample, 'renders', 'preview.mp4'))).mtimeMs).toBe(preview.mtimeMs);
    const repaired = JSON.parse(await fs.readFile(main, 'utf8'));
    expect(repaired.shots.map((s: { takes: unknown[] }) => s.takes.length)).toEqual([1, 1, 1, 1]);
    const kept = (await fs.readdir(sample)).filter((f) => f.startsWith('project.json.damaged-'));
    expect(kept).toHaveLength(1);
    expect(await fs.readFile(path.join(sample, kept[0]), 'utf8')).toBe(whole.slice(0, Math.floor(whole.length / 3)));
  });

  it('with no usable backup, opening fails with a clear error and changes nothing on disk', async () => {
    const main = path.join(sample, 'project.json');
    const backup = path.join(sample, 'project.json.bak');
    await fs.writeFile(main, '{"schemaVersion": 1, "name": "cut off');
    await fs.writeFile(backup, JSON.stringify({ schemaVersion: 1, shots: 'not a list' }));
    const before = (await fs.readdir(sample)).sort();

    const res = await storyreel(['render', sample]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Cannot open .*project\.json is unusable \(it is not valid JSON.*\) and so is its backup \(it does not match the project format: .*\)\. Nothing on disk was changed/);
    expect(res.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(await fs.readFile(main, 'utf8')).toBe('{"schemaVersion": 1, "name": "cut off');
    expect(JSON.parse(await fs.readFile(backup, 'utf8'))).toEqual({ schemaVersion: 1, shots: 'not a list' });
    expect((await fs.readdir(sample)).sort()).toEqual(before);
  });
});
