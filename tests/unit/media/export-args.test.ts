import { describe, expect, it } from 'vitest';
import { loudnessChain, loudnessStage, nextLoudnessGain, parseLoudness } from '../../../electron/core/media/audio';
import {
  encodeOptions,
  exportJob,
  exportSize,
  filmLength,
  fitCrossfade,
  measureJob,
  PRESETS,
  qualitySettings,
  type ExportPlan,
} from '../../../electron/core/media/export-args';
import { exportFileName } from '../../../electron/core/media/export';
import { toArgs } from '../../../electron/core/media/ffmpeg-args';
import { soundInput } from '../../../electron/core/media/film-sound';

const clip = (source: string, durationSec = 3, startSec = 0, hasAudio = true) => ({ source, durationSec, startSec, hasAudio });
const plan = (over: Partial<ExportPlan> = {}): ExportPlan => ({
  preset: PRESETS['h264-1080p'], quality: 90, aspect: '16:9', fps: 24, crossfadeSec: 0, lanes: [], output: '/p/renders/.x.partial.mp4', cwd: '/p/cache/export/1',
  clips: [clip('/p/a.mp4'), clip('/p/b.mp4', 4, 1.5), clip('/p/slate.mp4', 3, 0, false)],
  sound: soundInput('/p/cache/export/1/mix.f32'),
  ...over,
});
const graphOf = (args: string[]) => args[args.indexOf('-filter_complex') + 1];
const after = (args: string[], flag: string) => args[args.lastIndexOf(flag) + 1];

describe('export presets', () => {
  it('sizes each preset for the project’s shape', () => {
    expect(exportSize(PRESETS['h264-1080p'], '16:9')).toEqual({ width: 1920, height: 1080 });
    expect(exportSize(PRESETS['h264-1080p'], '9:16')).toEqual({ width: 1080, height: 1920 });
    expect(exportSize(PRESETS['h264-720p'], '1:1')).toEqual({ width: 720, height: 720 });
    expect(exportSize(PRESETS['webm-vp9'], '16:9')).toEqual({ width: 1280, height: 720 });
    expect(exportSize(PRESETS.gif, '16:9')).toEqual({ width: 480, height: 270 });
    expect(exportSize(PRESETS.webp, '9:16')).toEqual({ width: 270, height: 480 });
  });

  it('maps quality 1–100 onto each encoder, higher quality always better', () => {
    expect(qualitySettings('h264-1080p', 90).crf).toBe(18);
    expect(qualitySettings('h264-720p', 100).crf).toBe(15);
    expect(qualitySettings('webm-vp9', 80).crf).toBe(25);
    expect(qualitySettings('webm-vp9', 1).crf).toBe(63);
    expect(qualitySettings('webp', 75).quality).toBe(75);
    expect(qualitySettings('gif', 100).colors).toBe(256);
    for (const q of [1, 30, 60, 99]) {
      expect(qualitySettings('h264-1080p', q + 1).crf).toBeLessThanOrEqual(qualitySettings('h264-1080p', q).crf);
      expect(qualitySettings('webm-vp9', q + 1).crf).toBeLessThanOrEqual(qualitySettings('webm-vp9', q).crf);
    }
  });

  it('sets loudness targets per preset: −14 LUFS for MP4, −16 for WebM, none for silent previews', () => {
    expect(PRESETS['h264-1080p'].loudness).toEqual({ targetLufs: -14, ceilingDbtp: -1 });
    expect(PRESETS['webm-vp9'].loudness?.targetLufs).toBe(-16);
    expect(PRESETS.gif.loudness).toBeUndefined();
    expect(PRESETS.webp.loudness).toBeUndefined();
  });

  it('encodes MP4 as H.264 high/yuv420p + AAC with faststart, WebM as VP9 + Opus', () => {
    const mp4 = encodeOptions(PRESETS['h264-1080p'], 90);
    expect(after(mp4, '-c:v')).toBe('libx264');
    expect(after(mp4, '-crf')).toBe('18');
    expect(after(mp4, '-profile:v')).toBe('high');
    expect(after(mp4, '-movflags')).toBe('+faststart');
    expect(after(mp4, '-c:a')).toBe('aac');
    const webm = encodeOptions(PRESETS['webm-vp9'], 80);
    expect(after(webm, '-c:v')).toBe('libvpx-vp9');
    expect(after(webm, '-b:v')).toBe('0');
    expect(after(webm, '-c:a')).toBe('libopus');
    expect(encodeOptions(PRESETS.webp, 60)).toEqual(expect.arrayContaining(['libwebp_anim', '-quality', '60']));
  });

  it('names the file inside renders/ with the preset’s extension, refusing folders', () => {
    expect(exportFileName('h264-1080p')).toBe('export-h264-1080p.mp4');
    expect(exportFileName('webm-vp9', 'Lighthouse v2')).toBe('Lighthouse v2.webm');
    expect(exportFileName('gif', 'share.mp4')).toBe('share.gif');
    expect(() => exportFileName('gif', '../outside')).toThrow(/without folders\. Nothing was exported/);
    expect(() => exportFileName('gif', 'a/b')).toThrow(/cannot be used as an export name/);
  });
});

describe('export graph', () => {
  it('cuts each clip to its trimmed part and fits it in the frame at the project rate, exactly its length', () => {
    const args = toArgs(exportJob(plan()));
    expect(args.slice(2, 10)).toEqual(['-t', '3.000', '-i', '/p/a.mp4', '-ss', '1.500', '-t', '4.000']);
    const graph = graphOf(args);
    expect(graph).toContain('[1:v]scale=1920:1080:force_original_aspect_ratio=decrease:flags=lanczos,pad=1920:1080');
    expect(graph).toContain('fps=24,format=yuv420p,tpad=stop_mode=clone:stop_duration=5.000,trim=end_frame=96[v1]');
    expect(graph).toContain('[v0][v1][v2]concat=n=3:v=1:a=0[picture]');
    // The sound is the film's mix (film-sound.ts, the one the preview plays), after the pictures' inputs.
    expect(args.slice(args.lastIndexOf('-i') - 6, args.lastIndexOf('-i') + 2)).toEqual(['-f', 'f32le', '-ar', '48000', '-ac', '2', '-i', '/p/cache/export/1/mix.f32']);
    expect(graph).toContain('[3:a]volume=');
    expect(args.slice(-1)).toEqual(['/p/renders/.x.partial.mp4']);
  });

  it('crossfades pictures at the points the film is shortened by each overlap', () => {
    const graph = graphOf(toArgs(exportJob(plan({ crossfadeSec: 1 }))));
    expect(graph).toContain('[v0][v1]xfade=transition=fade:duration=1.000:offset=2.000[vx1]');
    expect(graph).toContain('[vx1][v2]xfade=transition=fade:duration=1.000:offset=5.000[picture]');
    expect(filmLength([3, 4, 3], 1)).toBe(8);
  });

  it('fits the crossfade to the shortest clip, and uses none for a single clip', () => {
    expect(fitCrossfade([3, 4, 3], 1)).toBe(1);
    expect(fitCrossfade([3, 1, 3], 1)).toBeCloseTo(0.45, 6);
    expect(fitCrossfade([5], 1)).toBe(0);
    expect(fitCrossfade([5, 5], 0)).toBe(0);
  });

  it('measures the finished mix without pictures, writing the meter to a file', () => {
    const job = measureJob(plan());
    const args = toArgs(job);
    expect(args.slice(-3)).toEqual(['-f', 'null', '-']);
    // Only the mix is read: no clip is opened, no picture decoded.
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    expect(args).not.toContain('/p/a.mp4');
    expect(graphOf(args)).toContain('[0:a]ebur128=metadata=1:peak=true,ametadata=mode=print:file=loudness.txt[measured]');
    expect(job.cwd).toBe('/p/cache/export/1');
  });

  it('measures again through the gain and limiter when it is correcting for the limiter', () => {
    const graph = graphOf(toArgs(measureJob(plan(), { gainDb: 7.25, limit: true })));
    expect(graph).toMatch(/\[0:a\]volume=7\.25dB,alimiter=limit=0\.8414:[^[]*\[staged\];\[staged\]ebur128=metadata=1:peak=true/);
    expect(graph).not.toContain(':v]');
  });

  it('applies a corrected stage in the encode instead of the first guess', () => {
    const args = toArgs(exportJob({ ...plan(), measured: { integratedLufs: -20, truePeakDb: -2 }, stage: { gainDb: 9.4, limit: true } }));
    expect(graphOf(args)).toMatch(/\[3:a\]volume=9\.40dB,alimiter=limit=0\.8414:[^[]*\[sound\]/);
  });

  it('applies the measured loudness in the encode', () => {
    const args = toArgs(exportJob({ ...plan(), measured: { integratedLufs: -20.5, truePeakDb: -9 } }));
    expect(graphOf(args)).toContain('[3:a]volume=6.50dB,aresample=48000[sound]');
    expect(args).toContain('[sound]');
  });

  it('makes a silent GIF from one palette for the whole film', () => {
    const args = toArgs(exportJob(plan({ preset: PRESETS.gif, quality: 100 })));
    const graph = graphOf(args);
    expect(graph).toContain('fps=12');
    expect(graph).toContain('palettegen=max_colors=256');
    expect(graph).toContain('paletteuse');
    expect(graph).not.toContain(':a]');
    expect(args).not.toContain('[sound]');
    expect(after(args, '-loop')).toBe('0');
  });
});

describe('export loudness', () => {
  it('reads the whole programme’s loudness and true peak from the meter’s last frame', () => {
    const dump = [
      'frame:0    pts:0       pts_time:0',
      'lavfi.r128.I=-70.000',
      'lavfi.r128.true_peak=0.010',
      'frame:49   pts:235200  pts_time:4.9',
      'lavfi.r128.M=-29.145',
      'lavfi.r128.I=-19.292',
      'lavfi.r128.true_peaks_ch0=0.492',
      'lavfi.r128.true_peak=0.500',
    ].join('\n');
    const m = parseLoudness(dump)!;
    expect(m.integratedLufs).toBeCloseTo(-19.292, 3);
    expect(m.truePeakDb).toBeCloseTo(-6.02, 2);
    expect(parseLoudness('')).toBeUndefined();
  });

  it('gains linearly to the target and limits only when the peaks would pass the ceiling', () => {
    const quiet = loudnessChain({ in: 'mix', out: 's', measured: { integratedLufs: -24, truePeakDb: -12 }, targetLufs: -14, ceilingDbtp: -1, sampleRate: 48000 });
    expect(quiet).toBe('[mix]volume=10.00dB,aresample=48000[s]');
    const peaky = loudnessChain({ in: 'mix', out: 's', measured: { integratedLufs: -24, truePeakDb: -6 }, targetLufs: -14, ceilingDbtp: -1, sampleRate: 48000 });
    expect(peaky).toMatch(/volume=10\.00dB,alimiter=limit=0\.8414:level=0:latency=1/);
    // Silence stays silence instead of being raised by 56 dB of noise.
    const silent = loudnessChain({ in: 'mix', out: 's', measured: { integratedLufs: -70, truePeakDb: -Infinity }, targetLufs: -14, ceilingDbtp: -1, sampleRate: 48000 });
    expect(silent).toBe('[mix]volume=0.00dB,aresample=48000[s]');
    expect(loudnessStage({ measured: { integratedLufs: -24, truePeakDb: -6 }, targetLufs: -14, ceilingDbtp: -1 })).toEqual({ gainDb: 10, limit: true });
    expect(loudnessStage({ measured: { integratedLufs: -24, truePeakDb: -12 }, targetLufs: -14, ceilingDbtp: -1 })).toEqual({ gainDb: 10, limit: false });
  });

  it('corrects the gain for what the limiter took back until the programme is within half a LU of the target', () => {
    // Close enough: no further pass.
    expect(nextLoudnessGain([{ gainDb: 5, lufs: -14.4 }], -14, 5)).toBeUndefined();
    // First correction: the whole shortfall (4.7 LU short after +4.7 dB → +9.4 dB).
    expect(nextLoudnessGain([{ gainDb: 4.7, lufs: -18.7 }], -14, 4.7)).toBeCloseTo(9.4, 6);
    // Then along the measured slope: +4.7 dB bought 2.2 LU, 2.5 LU are missing → about +5.3 dB more.
    expect(nextLoudnessGain([{ gainDb: 4.7, lufs: -18.7 }, { gainDb: 9.4, lufs: -16.5 }], -14, 4.7)).toBeCloseTo(9.4 + 2.5 / (2.2 / 4.7), 6);
    // An overshoot comes back down; a flat slope falls back to the shortfall; never more than 20 dB over the first guess.
    expect(nextLoudnessGain([{ gainDb: 4.7, lufs: -18.7 }, { gainDb: 15, lufs: -13 }], -14, 4.7)!).toBeLessThan(15);
    expect(nextLoudnessGain([{ gainDb: 4, lufs: -18 }, { gainDb: 8, lufs: -18 }], -14, 4)).toBeCloseTo(12, 6);
    expect(nextLoudnessGain([{ gainDb: 4, lufs: -40 }], -14, 4)).toBe(24);
  });
});
