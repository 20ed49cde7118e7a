// The film's mix as ffmpeg's own filters make it: the graph the export and the preview ran before the mix
// moved into TypeScript (electron/core/media/mix.ts). Kept here as the reference that mix.ts is proven
// against (tests/integration/media/mix-matches-ffmpeg.test.ts): the same ducking through ffmpeg's
// sidechaincompress, biquads, adelay, afade, amix and acrossfade.
import { DUCKING, MUSIC_FADE_OUT_SEC, SAMPLE_FORMAT } from '../../electron/core/media/audio';
import { filmLength, type ExportPlan } from '../../electron/core/media/export-args';
import type { FfmpegInput } from '../../electron/core/media/ffmpeg-args';

/** An audio lane as the graph sees it: an ffmpeg input index and where it sits on the timeline. */
export interface LaneMix {
  input: number;
  kind: 'music' | 'voiceover';
  startSec: number;
  gainDb: number;
  duck: boolean;
}

const SAMPLE_RATE = 48000;

function laneChain(lane: LaneMix, label: string, filmSec: number, sampleRate: number): string {
  const steps = [`aresample=${sampleRate}`, SAMPLE_FORMAT];
  if (lane.startSec > 0) steps.push(`adelay=delays=${Math.round(lane.startSec * 1000)}:all=1`);
  // A lane that starts before the film: its first part is cut off, the rest begins at 0.
  else if (lane.startSec < 0) steps.push(`atrim=start=${(-lane.startSec).toFixed(3)}`, 'asetpts=PTS-STARTPTS');
  if (lane.gainDb) steps.push(`volume=${lane.gainDb}dB`);
  if (lane.kind === 'music' && filmSec > MUSIC_FADE_OUT_SEC * 2) {
    steps.push(`afade=t=out:st=${(filmSec - MUSIC_FADE_OUT_SEC).toFixed(3)}:d=${MUSIC_FADE_OUT_SEC}`);
  }
  return `[${lane.input}:a]${steps.join(',')}[${label}]`;
}

function sum(labels: string[], out: string, first = false): string {
  // normalize=0: amix would otherwise divide every input by the number of inputs; the loudness stage sets the level.
  return `${labels.map((l) => `[${l}]`).join('')}amix=inputs=${labels.length}:normalize=0:duration=${first ? 'first' : 'longest'}:dropout_transition=0[${out}]`;
}

/**
 * The whole mix: `[speechIn]` (the joined clips' sound, exactly the film's length) plus the lanes, into
 * `[out]`, cut to the film's length. Returns the graph's chains joined by ';'.
 */
export function mixGraph(input: { speechIn: string; lanes: LaneMix[]; filmSec: number; sampleRate: number; out: string }): string {
  const chains: string[] = [];
  const voice = input.lanes.filter((l) => l.kind === 'voiceover');
  const ducked = input.lanes.filter((l) => l.kind === 'music' && l.duck);
  const straight = input.lanes.filter((l) => l.kind === 'music' && !l.duck);
  input.lanes.forEach((lane) => chains.push(laneChain(lane, `lane${lane.input}`, input.filmSec, input.sampleRate)));
  const label = (l: LaneMix) => `lane${l.input}`;

  let speech = input.speechIn;
  if (voice.length) {
    chains.push(sum([speech, ...voice.map(label)], 'speech', true));
    speech = 'speech';
  }
  const toMix = [speech];
  if (ducked.length) {
    let music = label(ducked[0]);
    if (ducked.length > 1) {
      chains.push(sum(ducked.map(label), 'duckable'));
      music = 'duckable';
    }
    chains.push(`[${speech}]asplit=2[speechmix][speechkey]`);
    chains.push(`[speechkey]highpass=f=${DUCKING.keyHighpassHz},lowpass=f=${DUCKING.keyLowpassHz}[key]`);
    chains.push(
      `[${music}][key]sidechaincompress=threshold=${DUCKING.threshold}:ratio=${DUCKING.ratio}:attack=${DUCKING.attackMs}:release=${DUCKING.releaseMs}[ducked]`,
    );
    toMix[0] = 'speechmix';
    toMix.push('ducked');
  }
  toMix.push(...straight.map(label));
  if (toMix.length === 1) chains.push(`[${toMix[0]}]anull[${input.out}]`);
  // The film's sound comes first, so the mix ends with the film however long the music runs.
  else chains.push(sum(toMix, input.out, true));
  return chains.join(';');
}


/** The clips, then the lanes, as ffmpeg inputs. */
export function exportInputs(plan: ExportPlan): FfmpegInput[] {
  return [
    ...plan.clips.map((c) => ({ source: c.source, options: [...(c.startSec > 0 ? ['-ss', c.startSec.toFixed(3)] : []), '-t', c.durationSec.toFixed(3)] })),
    ...plan.lanes.map((l) => ({ source: l.source, options: [] })),
  ];
}


/** Each clip's sound at the mix format, exactly its length, then joined the way the pictures are. */
function speechGraph(plan: ExportPlan, out: string): string[] {
  const chains = plan.clips.map((c, i) =>
    c.hasAudio
      ? `[${i}:a]aresample=${SAMPLE_RATE},${SAMPLE_FORMAT},asetpts=PTS-STARTPTS,apad,atrim=duration=${c.durationSec.toFixed(3)}[a${i}]`
      : `anullsrc=r=${SAMPLE_RATE}:cl=stereo,atrim=duration=${c.durationSec.toFixed(3)}[a${i}]`,
  );
  const n = plan.clips.length;
  if (n === 1) chains.push(`[a0]anull[${out}]`);
  else if (!plan.crossfadeSec) chains.push(`${plan.clips.map((_, i) => `[a${i}]`).join('')}concat=n=${n}:v=0:a=1[${out}]`);
  else {
    let prev = 'a0';
    for (let i = 1; i < n; i++) {
      const next = i === n - 1 ? out : `ax${i}`;
      chains.push(`[${prev}][a${i}]acrossfade=d=${plan.crossfadeSec.toFixed(3)}:c1=tri:c2=tri[${next}]`);
      prev = next;
    }
  }
  return chains;
}


/** The lanes as the mix graph sees them, the first one at ffmpeg input `firstInput`. */
export function laneMixesAt(lanes: ExportPlan['lanes'], firstInput: number): LaneMix[] {
  return lanes.map((l, i) => ({ input: firstInput + i, kind: l.kind, startSec: l.startSec, gainDb: l.gainDb, duck: l.duck }));
}

export function exportSoundGraph(plan: ExportPlan, out: string): string[] {
  const filmSec = filmLength(plan.clips.map((c) => c.durationSec), plan.crossfadeSec);
  return [...speechGraph(plan, 'film'), mixGraph({ speechIn: 'film', lanes: laneMixesAt(plan.lanes, plan.clips.length), filmSec, sampleRate: SAMPLE_RATE, out })];
}

