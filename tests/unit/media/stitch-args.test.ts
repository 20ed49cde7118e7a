import { mkdtempSync, rmSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  concatList,
  extractAudioJob,
  normalizeAudioJob,
  normalizeJob,
  seekArg,
  stitchMuxJob,
  targetFor,
  toArgs,
} from '../../../electron/core/media/ffmpeg-args';
import { asarUnpacked, discoverFfmpeg, locateBinaries, parseProbe, parseVersion } from '../../../electron/core/media/ffmpeg';
import { audioMatchesTarget, clipDurations, videoMatchesTarget } from '../../../electron/core/media/stitch-rules';
import type { ProbeResult } from '../../../electron/core/media/ffmpeg';

const t = targetFor('16:9');

describe('stitch argument builders', () => {
  it('writes each clip’s exact length into the concat list', () => {
    expect(concatList([{ path: '/a.mp4', durationSec: 5 }, { path: "/b's.mp4", durationSec: 2.541667 }, '/c.mp4'])).toBe(
      "ffconcat version 1.0\nfile '/a.mp4'\nduration 5.000000\nfile '/b'\\''s.mp4'\nduration 2.541667\nfile '/c.mp4'\n",
    );
  });

  it('joins picture and sound by stream copy, keeping timestamps and skipping one priming frame of audio', () => {
    const args = toArgs(stitchMuxJob({ videoList: '/p/cut.ffconcat', audio: '/p/cut.aac', output: '/p/out.mp4', durationSec: 20, target: t }));
    expect(args).toEqual([
      '-hide_banner', '-y',
      '-copyts', '-f', 'concat', '-safe', '0', '-i', '/p/cut.ffconcat',
      '-itsoffset', '-0.021333333', '-f', 'aac', '-i', '/p/cut.aac',
      '-map', '0:v:0', '-map', '1:a:0', '-c', 'copy', '-movflags', '+faststart', '/p/out.mp4',
    ]);
  });

  it('copies the audio of many clips out in one ffmpeg', () => {
    const args = toArgs(extractAudioJob([{ source: '/a.mp4', output: '/a.aac' }, { source: '/b.mp4', output: '/b.aac' }]));
    expect(args).toEqual(['-hide_banner', '-y', '-i', '/a.mp4', '-i', '/b.mp4', '-map', '0:a:0', '-c:a', 'copy', '-f', 'adts', '/a.aac', '-map', '1:a:0', '-c:a', 'copy', '-f', 'adts', '/b.aac']);
    expect(() => extractAudioJob([])).toThrow();
  });

  it('converts odd sound alone to the target rate and layout, padded to the picture', () => {
    const args = toArgs(normalizeAudioJob({ source: '/c.mp4', durationSec: 3, target: t, output: '/c.aac' }));
    const at = (flag: string) => args[args.indexOf(flag) + 1];
    expect(at('-af')).toBe('aresample=48000:async=1:first_pts=0,apad');
    expect(at('-ar')).toBe('48000');
    expect(at('-ac')).toBe('2');
    expect(at('-t')).toBe('3.000000');
    expect(at('-f')).toBe('adts');
  });

  it('seeks a trim so the in-frame itself is kept, and pads sound that stops early', () => {
    // 1/24 s written rounded up (0.041667) would drop the frame at 0.0416666…
    expect(seekArg(1 / 24)).toBe('0.041666');
    expect(seekArg(0.5)).toBe('0.500000');
    const args = toArgs(normalizeJob({ source: '/d.mp4', hasAudio: true, startSec: 0.5, durationSec: 2.25, target: t, output: '/p.mp4' }));
    expect(args.slice(2, 6)).toEqual(['-ss', '0.500000', '-i', '/d.mp4']);
    expect(args[args.indexOf('-af') + 1]).toBe('aresample=48000:async=1:first_pts=0,apad');
    // Odd sizes (1276×720 fits, 1275×719 would not encode) are kept even.
    expect(args[args.indexOf('-vf') + 1]).toContain('force_divisible_by=2');
  });
});

describe('clip lengths', () => {
  it('writes concat lengths whose running sum lands on every clip’s exact start', () => {
    const frames = Array.from({ length: 500 }, (_, i) => 61 + (i % 7));
    const d = clipDurations(frames, 24);
    let us = 0;
    let cum = 0;
    frames.forEach((n, i) => {
      us += Math.round(d[i] * 1e6);
      cum += n;
      expect(Math.abs(us - (cum / 24) * 1e6)).toBeLessThanOrEqual(0.5);
    });
  });
});

describe('which clips can be copied', () => {
  const ok: ProbeResult = {
    durationSec: 4,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    startSec: 0,
    video: { codec: 'h264', width: 1280, height: 720, fps: 24, pixFmt: 'yuv420p', timeBase: '1/12288', startSec: 0, frames: 96 },
    audio: { codec: 'aac', profile: 'LC', sampleRate: 48000, channels: 2, startSec: 0 },
  };
  it('copies a picture only in the target’s exact format, starting at zero, in an MP4', () => {
    expect(videoMatchesTarget(ok, t)).toBe(true);
    expect(videoMatchesTarget({ ...ok, formatName: 'matroska,webm' }, t)).toBe(false);
    expect(videoMatchesTarget({ ...ok, startSec: -0.021 }, t)).toBe(false);
    expect(videoMatchesTarget({ ...ok, video: { ...ok.video!, timeBase: '1/90000' } }, t)).toBe(false);
    expect(videoMatchesTarget({ ...ok, video: { ...ok.video!, height: 718 } }, t)).toBe(false);
  });
  it('copies sound only as AAC-LC at the target rate and layout', () => {
    expect(audioMatchesTarget(ok, t)).toBe(true);
    expect(audioMatchesTarget({ ...ok, audio: { ...ok.audio!, profile: 'HE-AAC' } }, t)).toBe(false);
    expect(audioMatchesTarget({ ...ok, audio: { ...ok.audio!, channels: 1 } }, t)).toBe(false);
    expect(audioMatchesTarget({ ...ok, audio: undefined }, t)).toBe(false);
  });
});

describe('probe results', () => {
  it('reads frames, starts and the decoder configuration, and ignores cover art', () => {
    const info = parseProbe(
      JSON.stringify({
        format: { duration: '5.000000', format_name: 'mov,mp4', start_time: '0.000000' },
        streams: [
          { codec_type: 'video', codec_name: 'mjpeg', width: 300, height: 300, disposition: { attached_pic: 1 } },
          { codec_type: 'video', codec_name: 'h264', profile: 'High', width: 1280, height: 720, avg_frame_rate: '24/1', pix_fmt: 'yuv420p', time_base: '1/12288', duration: '5.000000', nb_frames: '120', start_time: '0.000000', extradata_hash: 'SHA256:ab' },
          { codec_type: 'audio', codec_name: 'aac', profile: 'LC', sample_rate: '44100', channels: 1, duration: '5.01', start_time: 'N/A' },
        ],
      }),
    );
    expect(info.video).toMatchObject({ codec: 'h264', frames: 120, fps: 24, startSec: 0, extradataHash: 'SHA256:ab' });
    expect(info.audio).toMatchObject({ codec: 'aac', sampleRate: 44100, channels: 1, startSec: undefined });
    expect(info.startSec).toBe(0);
  });
  it('reads versions from -version output', () => {
    expect(parseVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026\nbuilt with gcc')).toBe('5.1.9-0+deb12u1');
    expect(parseVersion('ffprobe version n7.1 Copyright')).toBe('n7.1');
  });
});

describe('finding ffmpeg', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sr-locate-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const exe = (rel: string) => {
    const file = path.join(tmp, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
    return file;
  };
  const onPath = exe('bin/ffmpeg');
  exe('bin/ffprobe');
  const fromEnv = exe('env/ffmpeg');
  exe('env/ffprobe');
  const chosen = exe('chosen/ffmpeg');
  const env = { PATH: path.join(tmp, 'bin') };
  // As on a machine where the optional ffmpeg-static / ffprobe-static packages are not installed.
  const noStatic = { ffmpegStatic: (): string | null => { throw new Error("Cannot find module 'ffmpeg-static'"); }, ffprobeStatic: () => undefined };

  it('prefers settings, then STORYREEL_FFMPEG, then ffmpeg-static, then PATH, with ffprobe beside ffmpeg', () => {
    expect(locateBinaries({ env, ...noStatic })).toMatchObject({ ffmpegPath: onPath, ffprobePath: path.join(tmp, 'bin', 'ffprobe'), source: 'path' });
    expect(locateBinaries({ env: { ...env, STORYREEL_FFMPEG: fromEnv }, ...noStatic })).toMatchObject({ ffmpegPath: fromEnv, ffprobePath: path.join(tmp, 'env', 'ffprobe'), source: 'env' });
    // No ffprobe beside the chosen ffmpeg: the one on PATH.
    expect(locateBinaries({ env: { ...env, STORYREEL_FFMPEG: fromEnv }, settingsFfmpeg: chosen, ...noStatic })).toMatchObject({ ffmpegPath: chosen, ffprobePath: path.join(tmp, 'bin', 'ffprobe'), source: 'settings' });
    const steps = discoverFfmpeg({ env: { ...env, STORYREEL_FFMPEG: fromEnv }, ...noStatic });
    expect(steps.map((s) => [s.label, s.state])).toEqual([
      ['Settings', 'skipped'],
      ['STORYREEL_FFMPEG', 'used'],
      ['ffmpeg-static', 'skipped'],
      ['PATH', 'skipped'],
    ]);
  });

  it('says so when a chosen path does not exist, instead of quietly using another ffmpeg', () => {
    expect(() => locateBinaries({ env: { ...env, STORYREEL_FFMPEG: path.join(tmp, 'nope') } })).toThrow(/STORYREEL_FFMPEG points to .*nope, but there is no file there/);
    expect(() => locateBinaries({ env: { ...env, STORYREEL_FFPROBE: path.join(tmp, 'nope') } })).toThrow(/STORYREEL_FFPROBE points to/);
    expect(() => locateBinaries({ env: { PATH: path.join(tmp, 'none') }, ...noStatic })).toThrow(/ffmpeg was not found.*apt-get install ffmpeg/);
  });

  it('takes ffmpeg-static before PATH, from app.asar.unpacked when packaged, and says why it was passed over', () => {
    // A packaged app: the package reports a path inside app.asar, where nothing can be executed.
    const unpacked = exe('Storyreel/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg');
    const packaged = () => path.join(tmp, 'Storyreel/resources/app.asar/node_modules/ffmpeg-static/ffmpeg');
    expect(locateBinaries({ env, ffmpegStatic: packaged })).toMatchObject({ ffmpegPath: unpacked, source: 'ffmpeg-static', ffprobePath: path.join(tmp, 'bin', 'ffprobe') });
    expect(discoverFfmpeg({ env, ffmpegStatic: packaged }).map((s) => [s.label, s.state])).toEqual([
      ['Settings', 'skipped'],
      ['STORYREEL_FFMPEG', 'skipped'],
      ['ffmpeg-static', 'used'],
      ['PATH', 'skipped'],
    ]);
    // ffmpeg-static has no ffprobe beside it: ffprobe-static's (unpacked too) comes before the one on PATH.
    const probeUnpacked = exe('Storyreel/resources/app.asar.unpacked/node_modules/ffprobe-static/bin/linux/x64/ffprobe');
    const probePackaged = () => path.join(tmp, 'Storyreel/resources/app.asar/node_modules/ffprobe-static/bin/linux/x64/ffprobe');
    expect(locateBinaries({ env, ffmpegStatic: packaged, ffprobeStatic: probePackaged }).ffprobePath).toBe(probeUnpacked);
    expect(locateBinaries({ env, ffmpegStatic: packaged, ffprobeStatic: noStatic.ffprobeStatic }).ffprobePath).toBe(path.join(tmp, 'bin', 'ffprobe'));
    // STORYREEL_FFMPEG still comes first.
    expect(locateBinaries({ env: { ...env, STORYREEL_FFMPEG: fromEnv }, ffmpegStatic: packaged }).source).toBe('env');
    // Installed without its binary (the download was blocked) or not installed at all: PATH, with the reason shown.
    const noBinary = discoverFfmpeg({ env, ffmpegStatic: () => path.join(tmp, 'gone', 'ffmpeg') });
    expect(noBinary[2]).toMatchObject({ state: 'skipped', note: expect.stringContaining('its binary is missing') });
    expect(noBinary[3]).toMatchObject({ state: 'used', path: onPath });
    const absent = discoverFfmpeg({ env, ...noStatic });
    expect(absent[2]).toMatchObject({ state: 'skipped', note: 'not installed (optional dependency)' });
  });

  it('runs ffmpeg-static from app.asar.unpacked inside a packaged app', () => {
    expect(asarUnpacked('/opt/Storyreel/resources/app.asar/node_modules/ffmpeg-static/ffmpeg')).toBe('/opt/Storyreel/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg');
    expect(asarUnpacked('C:\\Storyreel\\resources\\app.asar\\node_modules\\ffmpeg-static\\ffmpeg.exe')).toBe('C:\\Storyreel\\resources\\app.asar.unpacked\\node_modules\\ffmpeg-static\\ffmpeg.exe');
    expect(asarUnpacked('/usr/lib/node_modules/ffmpeg-static/ffmpeg')).toBe('/usr/lib/node_modules/ffmpeg-static/ffmpeg');
  });
});
