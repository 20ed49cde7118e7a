// Export with real ffmpeg, through the Studio API a client calls: music ducked under the clips' dialogue,
// loudness on the preset's target, crossfades, the preview formats, progress, and cancel.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskProgress } from '../../../shared/api';
import type { Project, Take } from '../../../shared/schema';
import { Studio } from '../../../electron/core/api';
import { exportProject } from '../../../electron/core/media/export';
import { setFfmpegLogger } from '../../../electron/core/media/ffmpeg';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { ffprobe, tempDir } from '../helpers';

const exec = promisify(execFile);
let base: string;
let dir: string;
let studio: Studio;

const ff = (...args: string[]) => exec('ffmpeg', ['-v', 'error', '-y', ...args]);

/** A 3 s 320×180 clip: a test pattern, with a 1 kHz tone standing in for dialogue, or silence. */
async function clip(file: string, dialogue: boolean): Promise<Take> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const audio = dialogue ? 'sine=f=1000:r=48000:d=3' : 'anullsrc=r=48000:cl=stereo:d=3';
  await ff('-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=24:d=3', '-f', 'lavfi', '-i', audio, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2', '-shortest', file);
  const sha256 = createHash('sha256').update(await fs.readFile(file)).digest('hex');
  return {
    id: `take_${path.basename(file, '.mp4')}`, jobId: 'job', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready',
    media: { path: path.relative(dir, file).split(path.sep).join('/'), sha256, durationSec: 3, width: 320, height: 180, fps: 24, hasAudio: true },
    estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString(),
  };
}

/** RMS level (dBFS) of `dur` seconds from `from`, through a filter. */
async function rms(file: string, from: number, dur: number, filter: string): Promise<number> {
  const { stderr } = await exec('ffmpeg', ['-hide_banner', '-nostats', '-ss', String(from), '-t', String(dur), '-i', file, '-af', `${filter},astats=measure_perchannel=none`, '-f', 'null', '-']);
  const m = /Overall[\s\S]*?RMS level dB:\s*(-?[\d.]+|-inf)/.exec(stderr);
  return m && m[1] !== '-inf' ? Number(m[1]) : -Infinity;
}
/** Only the 200 Hz music: three low-pass stages take the 1 kHz "dialogue" some 60 dB down. */
const MUSIC_ONLY = 'lowpass=f=300,lowpass=f=300,lowpass=f=300';

async function integratedLoudness(file: string): Promise<number> {
  return (await r128(file)).integrated;
}

/** ffmpeg's own EBU R128 meter over the whole file: integrated loudness (LUFS) and true peak (dBTP). */
async function r128(file: string): Promise<{ integrated: number; truePeak: number }> {
  const { stderr } = await exec('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-']);
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  return {
    integrated: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)![1]),
    truePeak: Number(/Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)![1]),
  };
}

beforeAll(async () => {
  base = await tempDir('sr-export-');
  dir = path.join(base, 'film.storyreel');
  const project: Project = newProject('Film', [
    newShot({ title: 'Quiet', durationSec: 3 }),
    newShot({ title: 'Talk', durationSec: 3 }),
    newShot({ title: 'Quiet again', durationSec: 3 }),
  ]);
  await createProjectFolder(dir, project);
  for (const [i, shot] of project.shots.entries()) {
    const take = await clip(path.join(dir, 'media', 'takes', shot.id, `t${i}.mp4`), i === 1);
    shot.takes = [take];
    shot.selectedTakeId = take.id;
  }
  // Music: a steady 200 Hz tone at −20 dBFS, longer than the film.
  await ff('-f', 'lavfi', '-i', 'sine=f=200:r=48000:d=12', '-af', 'volume=-11dB', '-ac', '2', path.join(dir, 'media', 'audio', 'music.wav'));
  project.audioLanes = [{ id: 'lane_music', kind: 'music', path: 'media/audio/music.wav', startSec: 0, gainDb: 0, duck: true }];
  await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(project, null, 2));
  studio = await Studio.open(dir, { host: 'cli' });
});
afterAll(async () => {
  await studio?.close();
  await fs.rm(base, { recursive: true, force: true });
});

describe('export (real ffmpeg)', () => {
  let h264: string;

  it('exports H.264 720p with the music ducked under dialogue and the loudness on −14 LUFS', async () => {
    const events: TaskProgress[] = [];
    const commands: string[] = [];
    studio.on('event', (name, payload) => name === 'task.progress' && events.push(payload as TaskProgress));
    setFfmpegLogger((line) => commands.push(line));
    const result = await studio.call('media.export', { preset: 'h264-720p' });
    setFfmpegLogger(() => {});
    expect(result).toMatchObject({ path: 'renders/export-h264-720p.mp4', slateShotIds: [], crossfadeSec: 0 });
    expect(Math.abs(result.durationSec - 9)).toBeLessThan(0.1);
    h264 = path.join(dir, result.path);
    // The result says how big the file is, as it is on disk.
    expect(result.bytes).toBe((await fs.stat(h264)).size);

    const info = await ffprobe(h264);
    expect(info.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 1280, height: 720, pix_fmt: 'yuv420p' });
    expect(info.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });

    // Music alone in shot 1, under the dialogue in shot 2 (after the compressor's attack), alone again in shot 3.
    const before = await rms(h264, 0.5, 2, MUSIC_ONLY);
    const under = await rms(h264, 3.5, 2, MUSIC_ONLY);
    const after = await rms(h264, 6.6, 0.8, MUSIC_ONLY);
    expect(before - under).toBeGreaterThan(6);
    expect(Math.abs(before - after)).toBeLessThan(2);

    expect(Math.abs((await integratedLoudness(h264)) - -14)).toBeLessThan(1);

    // Progress ran from 0 to done; the exact commands went to the log.
    const mine = events.filter((e) => e.kind === 'export');
    expect(mine[0]).toMatchObject({ fraction: 0, done: false });
    expect(mine.at(-1)).toMatchObject({ fraction: 1, done: true });
    expect(mine.some((e) => e.fraction !== null && e.fraction > 0.2 && e.fraction < 1)).toBe(true);
    expect(commands.some((c) => c.includes('ebur128=metadata=1') && c.includes(' -f null -'))).toBe(true);
    // The encode reads the film's mix (film-sound.ts, the preview's mix) and adds only the loudness stage.
    expect(commands.some((c) => c.includes('-f f32le') && c.includes('mix.f32') && c.includes('export-h264-720p.partial.mp4'))).toBe(true);
  });

  it('puts the index at the front of the MP4 so a browser starts playing before the download ends', async () => {
    const head = (await fs.readFile(h264)).subarray(0, 1 << 16).toString('latin1');
    expect(head.indexOf('moov')).toBeGreaterThan(0);
    expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat') === -1 ? Infinity : head.indexOf('mdat'));
  });

  it('crossfades between shots into an animated GIF preview, the film shorter by each overlap', async () => {
    const result = await studio.call('media.export', { preset: 'gif', crossfadeSec: 1, out: 'share' });
    expect(result.path).toBe('renders/share.gif');
    expect(result.crossfadeSec).toBe(1);
    const info = await ffprobe(path.join(dir, result.path));
    expect(info.streams).toHaveLength(1);
    expect(info.streams[0]).toMatchObject({ codec_name: 'gif', width: 480, height: 270 });
    expect(Math.abs(Number(info.format.duration) - 7)).toBeLessThan(0.2);
  });

  it('keeps the shot’s length with a trim, as the preview does (which frames play: trim-cut.test.ts)', async () => {
    const shot = studio.session.current.shots[0];
    // The 3 s shot plays its 3 s take from 1 s, then holds its last frame for 1 s.
    await studio.call('shots.update', { id: shot.id, patch: { trim: { inSec: 1 } } });
    try {
      const result = await studio.call('media.export', { preset: 'gif', out: 'trimmed' });
      expect(Math.abs(Number((await ffprobe(path.join(dir, result.path))).format.duration) - 9)).toBeLessThan(0.2);
    } finally {
      await studio.call('shots.update', { id: shot.id, patch: { trim: null } });
    }
  });

  it('exports WebM (VP9/Opus) at −16 LUFS, and an animated WebP', async () => {
    const webm = await studio.call('media.export', { preset: 'webm-vp9', quality: 40 });
    const info = await ffprobe(path.join(dir, webm.path));
    expect(info.streams.map((s) => s.codec_name).sort()).toEqual(['opus', 'vp9']);
    expect(Math.abs((await integratedLoudness(path.join(dir, webm.path))) - -16)).toBeLessThan(1);

    const webp = await studio.call('media.export', { preset: 'webp', quality: 50 });
    expect(webp.path).toBe('renders/export-webp.webp');
    const bytes = await fs.readFile(path.join(dir, webp.path));
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(bytes.toString('ascii', 8, 12)).toBe('WEBP');
    expect(bytes.includes(Buffer.from('ANIM'))).toBe(true);
  });

  it('cancels an export in progress and leaves no partial file behind', async () => {
    const before = await fs.readdir(path.join(dir, 'renders'));
    let asked = false;
    const listener = (name: string, payload: unknown) => {
      const p = payload as TaskProgress;
      // Once ffmpeg is encoding (past the measuring pass's share), so a running process is stopped.
      if (name === 'task.progress' && p.kind === 'export' && p.label.includes('Encoding') && (p.fraction ?? 0) > 0.16 && !asked) {
        asked = true;
        void studio.call('media.cancelExport');
      }
    };
    studio.on('event', listener);
    await expect(studio.call('media.export', { preset: 'h264-1080p', out: 'cancelled' })).rejects.toThrow(/Export canceled\. Nothing was written to renders\//);
    studio.off('event', listener);
    expect(asked).toBe(true);
    expect((await fs.readdir(path.join(dir, 'renders'))).sort()).toEqual(before.sort());
    expect(await fs.readdir(path.join(dir, 'cache', 'export'))).toEqual([]);
    expect(await studio.call('media.cancelExport')).toEqual({ canceled: false });
  });

  it('refuses a missing music file by name before encoding anything', async () => {
    await fs.rename(path.join(dir, 'media', 'audio', 'music.wav'), path.join(dir, 'media', 'audio', 'moved.wav'));
    try {
      await expect(studio.call('media.export', { preset: 'h264-720p', out: 'nothing' })).rejects.toThrow(
        /music lane media\/audio\/music\.wav is missing from the project folder\. Put the file back or remove the lane/,
      );
      expect(await fs.readdir(path.join(dir, 'renders'))).not.toContain('nothing.mp4');
    } finally {
      await fs.rename(path.join(dir, 'media', 'audio', 'moved.wav'), path.join(dir, 'media', 'audio', 'music.wav'));
    }
  });
});

describe('export loudness when the limiter has to act', () => {
  let peaky: string;

  beforeAll(async () => {
    // Sound with a wide peak-to-loudness ratio, like a film mix or a drum: sharp hits whose peaks reach −1.8 dBFS
    // while the whole only measures about −19 LUFS. Raised 5 dB to −14 LUFS its peaks would pass 0 dBFS, so the
    // limiter must hold them, and that alone would leave the programme some 4 LU short of the target.
    peaky = path.join(base, 'peaky.storyreel');
    const project: Project = newProject('Peaky', [newShot({ title: 'Drums', durationSec: 4 })]);
    await createProjectFolder(peaky, project);
    // PCM in a MOV, as an editor might hand it over: the export reads the sound exactly as it is.
    const rel = `media/takes/${project.shots[0].id}/drums.mov`;
    await fs.mkdir(path.dirname(path.join(peaky, rel)), { recursive: true });
    const hits = '0.9*sin(2*PI*180*t)*exp(-60*mod(t,0.6))+0.03*sin(2*PI*440*t)';
    await ff('-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=24:d=4', '-f', 'lavfi', '-i', `aevalsrc='${hits}|${hits}':s=48000:d=4`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'pcm_s16le', '-shortest', path.join(peaky, rel));
    const shot = project.shots[0];
    shot.takes = [{
      id: 'take_drums', jobId: 'job', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready',
      media: { path: rel, sha256: createHash('sha256').update(await fs.readFile(path.join(peaky, rel))).digest('hex'), durationSec: 4, width: 320, height: 180, fps: 24, hasAudio: true },
      estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString(),
    }];
    shot.selectedTakeId = 'take_drums';
    await fs.writeFile(path.join(peaky, 'project.json'), JSON.stringify(project, null, 2));
  });

  it('still lands within 1 LU of −14 LUFS with the peaks under the ceiling, and logs every ffmpeg command it ran', async () => {
    const project = JSON.parse(await fs.readFile(path.join(peaky, 'project.json'), 'utf8')) as Project;
    const source = await r128(path.join(peaky, project.shots[0].takes[0].media!.path));
    // The premise: this sound cannot reach the target by gain alone without passing the −1 dBTP ceiling.
    expect(source.integrated).toBeLessThan(-17);
    expect(source.truePeak + (-14 - source.integrated)).toBeGreaterThan(1);

    const result = await exportProject(peaky, project, { preset: 'h264-720p' });
    const out = await r128(path.join(peaky, result.path));
    expect(Math.abs(out.integrated - -14), `integrated ${out.integrated} LUFS`).toBeLessThan(1);
    expect(out.truePeak).toBeLessThan(-0.5);
    expect(result.loudnessStage?.limit).toBe(true);

    // The exact commands, in the order they ran: the measuring pass, the pass(es) through the limiter, the encode.
    expect(result.log).toBe('cache/logs/export-h264-720p.mp4.log');
    const log = (await fs.readFile(path.join(peaky, result.log!), 'utf8')).split('\n').filter((l) => l.startsWith('$ '));
    expect(log.length).toBeGreaterThanOrEqual(3);
    expect(log[0]).toMatch(/ebur128=metadata=1.* -f null -/);
    expect(log[0]).not.toContain('alimiter');
    for (const pass of log.slice(1, -1)) expect(pass).toMatch(/volume=[\d.]+dB,alimiter=.*ebur128=metadata=1.* -f null -/);
    expect(log.at(-1)).toContain('export-h264-720p.partial.mp4');
    expect(log.at(-1)).toContain(`volume=${result.loudnessStage!.gainDb.toFixed(2)}dB,alimiter`);
  });
});

describe('export with a voice-over lane', () => {
  it('mixes the voice-over in at its place and ducks the music under it, as under dialogue', async () => {
    // One silent 6 s shot; the music (200 Hz) runs throughout, the voice-over (a 1 kHz tone) speaks from 1.2 s to 3 s.
    const vo = path.join(base, 'voiceover.storyreel');
    const project: Project = newProject('Voice-over', [newShot({ title: 'Silent', durationSec: 6 })]);
    await createProjectFolder(vo, project);
    const rel = `media/takes/${project.shots[0].id}/silent.mp4`;
    await fs.mkdir(path.dirname(path.join(vo, rel)), { recursive: true });
    await ff('-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=24:d=6', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo:d=6', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path.join(vo, rel));
    project.shots[0].takes = [{
      id: 'take_silent', jobId: 'job', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready',
      media: { path: rel, sha256: createHash('sha256').update(await fs.readFile(path.join(vo, rel))).digest('hex'), durationSec: 6, width: 320, height: 180, fps: 24, hasAudio: true },
      estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date().toISOString(),
    }];
    project.shots[0].selectedTakeId = 'take_silent';
    await ff('-f', 'lavfi', '-i', 'sine=f=200:r=48000:d=10', '-af', 'volume=-11dB', '-ac', '2', path.join(vo, 'media', 'audio', 'music.wav'));
    await ff('-f', 'lavfi', '-i', 'sine=f=1000:r=48000:d=1.8', '-ac', '1', path.join(vo, 'media', 'audio', 'voice.wav'));
    project.audioLanes = [
      { id: 'lane_music', kind: 'music', path: 'media/audio/music.wav', startSec: 0, gainDb: 0, duck: true },
      { id: 'lane_vo', kind: 'voiceover', path: 'media/audio/voice.wav', startSec: 1.2, gainDb: 0, duck: true },
    ];
    const result = await exportProject(vo, project, { preset: 'h264-720p' });
    const file = path.join(vo, result.path);
    const VOICE_ONLY = 'highpass=f=700,highpass=f=700,highpass=f=700';
    // The voice is heard where its lane puts it, and not before.
    expect(await rms(file, 0.1, 1, VOICE_ONLY)).toBeLessThan(-50);
    expect(await rms(file, 1.5, 1.3, VOICE_ONLY)).toBeGreaterThan(-30);
    // The music is there throughout, pushed down while the voice speaks and back after it (before its fade-out at 4.5 s).
    const before = await rms(file, 0.1, 1, MUSIC_ONLY);
    const under = await rms(file, 1.5, 1.3, MUSIC_ONLY);
    const after = await rms(file, 3.6, 0.8, MUSIC_ONLY);
    expect(before).toBeGreaterThan(-40);
    expect(before - under).toBeGreaterThan(6);
    expect(Math.abs(before - after)).toBeLessThan(2);
    expect(Math.abs((await integratedLoudness(file)) - -14)).toBeLessThan(1);
  });
});
