// Pure ffmpeg argument builders for the export (docs/architecture.md §7): every clip of the cut fitted into the preset's
// frame, joined end to end or with crossfades, the audio lanes mixed (music ducked under speech, see
// audio.ts), loudness-normalized, and encoded for the preset. Two kinds of job: audio-only measuring passes
// and the encode. Nothing here runs a process.
import type { AspectRatio } from '../../../shared/schema';
import { exportSize, filmLength, qualitySettings, type PresetSpec } from '../../../shared/export-presets';
import { loudnessChain, loudnessMeterChain, type LoudnessMeasurement, type LoudnessStage } from './audio';
import type { FfmpegInput, FfmpegJob } from './ffmpeg-args';

// The presets and their pure rules live in shared/ (the Export dialog describes them too).
export { exportSize, filmLength, fitCrossfade, PRESETS, qualitySettings, type PresetSpec } from '../../../shared/export-presets';

/** Encoder and container options for a preset (after the filter graph and maps). */
export function encodeOptions(preset: PresetSpec, quality: number): string[] {
  const s = qualitySettings(preset.id, quality);
  switch (preset.id) {
    case 'h264-1080p':
    case 'h264-720p':
      return [
        '-c:v', 'libx264', '-preset', 'medium', '-crf', String(s.crf), '-profile:v', 'high', '-pix_fmt', 'yuv420p',
        '-c:a', 'aac', '-b:a', '192k', '-ar', '48000', '-ac', '2',
        // The index at the front, so a browser or a share sheet starts playing before the download ends.
        '-movflags', '+faststart', '-map_metadata', '-1',
      ];
    case 'webm-vp9':
      return [
        '-c:v', 'libvpx-vp9', '-crf', String(s.crf), '-b:v', '0', '-deadline', 'good', '-cpu-used', '4', '-row-mt', '1', '-pix_fmt', 'yuv420p',
        '-c:a', 'libopus', '-b:a', '128k', '-ar', '48000', '-ac', '2', '-map_metadata', '-1',
      ];
    case 'gif':
      return ['-loop', '0', '-map_metadata', '-1'];
    case 'webp':
      return ['-c:v', 'libwebp_anim', '-quality', String(s.quality), '-lossless', '0', '-compression_level', '4', '-loop', '0', '-map_metadata', '-1'];
  }
}

/** One piece of the cut: a take (or a slate) and the part of it that plays. */
export interface ExportClip {
  source: string;
  startSec: number;
  durationSec: number;
  hasAudio: boolean;
}

export interface LaneFile {
  source: string;
  kind: 'music' | 'voiceover';
  startSec: number;
  gainDb: number;
  duck: boolean;
}

export interface ExportPlan {
  preset: PresetSpec;
  quality: number;
  aspect: AspectRatio;
  /** Project frame rate (previews use their own). */
  fps: number;
  clips: ExportClip[];
  lanes: LaneFile[];
  crossfadeSec: number;
  output: string;
  /** Where the measuring pass writes its numbers (relative file names are resolved in it). */
  cwd: string;
  /**
   * The film's mixed sound (film-sound.ts: the same mix the preview plays), as an ffmpeg input; required by
   * presets with sound.
   */
  sound?: FfmpegInput;
}

function pictureInputs(plan: ExportPlan): FfmpegInput[] {
  return plan.clips.map((c) => ({ source: c.source, options: [...(c.startSec > 0 ? ['-ss', c.startSec.toFixed(3)] : []), '-t', c.durationSec.toFixed(3)] }));
}

const SAMPLE_RATE = 48000;

function soundOf(plan: ExportPlan): FfmpegInput {
  if (!plan.sound) throw new Error(`The ${plan.preset.label} export needs the film's mixed sound`);
  return plan.sound;
}

/** Each clip fitted into the frame (never stretched), at the export rate and exactly its length, then joined. */
function pictureGraph(plan: ExportPlan, out: string): string[] {
  const { width, height } = exportSize(plan.preset, plan.aspect);
  const fps = plan.preset.fps ?? plan.fps;
  const chains = plan.clips.map((c, i) => {
    const frames = Math.max(1, Math.round(c.durationSec * fps));
    return (
      `[${i}:v]scale=${width}:${height}:force_original_aspect_ratio=decrease:flags=lanczos,` +
      `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=${fps},format=yuv420p,` +
      // A clip shorter than its shot (or a frame short, rounding at its end) is held on its last frame, so
      // the cut keeps its timing.
      `tpad=stop_mode=clone:stop_duration=${(c.durationSec + 1).toFixed(3)},trim=end_frame=${frames}[v${i}]`
    );
  });
  const n = plan.clips.length;
  if (n === 1) chains.push(`[v0]null[${out}]`);
  else if (!plan.crossfadeSec) chains.push(`${plan.clips.map((_, i) => `[v${i}]`).join('')}concat=n=${n}:v=1:a=0[${out}]`);
  else {
    let prev = 'v0';
    let at = 0;
    for (let i = 1; i < n; i++) {
      at += plan.clips[i - 1].durationSec - plan.crossfadeSec;
      const next = i === n - 1 ? out : `vx${i}`;
      chains.push(`[${prev}][v${i}]xfade=transition=fade:duration=${plan.crossfadeSec.toFixed(3)}:offset=${at.toFixed(3)}[${next}]`);
      prev = next;
    }
  }
  return chains;
}


export const LOUDNESS_FILE = 'loudness.txt';

/**
 * A measuring pass: the finished mix, no pictures decoded and nothing written but the numbers. Without a
 * stage it measures the mix as it is (pass 1); with one, the mix after that gain and limiter (a correction).
 */
export function measureJob(plan: ExportPlan, stage?: LoudnessStage): FfmpegJob {
  const graph: string[] = [];
  let metered = '0:a';
  if (stage && plan.preset.loudness) {
    graph.push(loudnessChain({ in: '0:a', out: 'staged', stage, ...plan.preset.loudness, sampleRate: SAMPLE_RATE }));
    metered = 'staged';
  }
  graph.push(loudnessMeterChain({ in: metered, out: 'measured', file: LOUDNESS_FILE }));
  return {
    cwd: plan.cwd,
    durationSec: filmLength(plan.clips.map((c) => c.durationSec), plan.crossfadeSec),
    inputs: [soundOf(plan)],
    outputOptions: ['-filter_complex', graph.join(';'), '-map', '[measured]', '-f', 'null'],
    output: '-',
  };
}

/** The encode: pictures, the mix brought to the preset's loudness (the measured gain, or a corrected `stage`). */
export function exportJob(plan: ExportPlan & { measured?: LoudnessMeasurement; stage?: LoudnessStage }): FfmpegJob {
  const graph = pictureGraph(plan, 'picture');
  const maps: string[] = [];
  if (plan.preset.id === 'gif') {
    const { colors } = qualitySettings('gif', plan.quality);
    // One palette for the whole film (two passes over the frames inside one graph), dithered gently.
    graph.push(
      `[picture]split[pa][pb];[pa]palettegen=max_colors=${colors}:stats_mode=diff[palette];[pb][palette]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle[gif]`,
    );
    maps.push('-map', '[gif]');
  } else maps.push('-map', '[picture]');
  if (plan.preset.loudness) {
    graph.push(loudnessChain({ in: `${plan.clips.length}:a`, out: 'sound', measured: plan.measured, stage: plan.stage, ...plan.preset.loudness, sampleRate: SAMPLE_RATE }));
    maps.push('-map', '[sound]');
  }
  return {
    cwd: plan.cwd,
    durationSec: filmLength(plan.clips.map((c) => c.durationSec), plan.crossfadeSec),
    inputs: [...pictureInputs(plan), ...(plan.preset.loudness ? [soundOf(plan)] : [])],
    outputOptions: ['-filter_complex', graph.join(';'), ...maps, ...encodeOptions(plan.preset, plan.quality)],
    output: plan.output,
  };
}
