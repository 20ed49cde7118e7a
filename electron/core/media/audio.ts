// The film's sound: the constants of the mix (mix.ts mixes; the clips' own sound and the voice-over lanes
// form the speech bus; music lanes are mixed under it, ducked while anyone speaks) and the export's loudness
// stage as ffmpeg filters (EBU R128): measure, then a linear gain with a true-peak safety limiter.
// When the limiter has to act, it takes loudness back, so the gain is corrected by measuring again through
// the same chain until the programme lands on the target. Also the parser for the meter's output.

export const SAMPLE_FORMAT = 'aformat=sample_fmts=fltp:channel_layouts=stereo';

/**
 * How far music goes down under speech. Speech sits around −18 to −24 dBFS RMS, so with the threshold at
 * about −34 dBFS and 8:1 the music drops 10–14 dB while someone speaks, and comes back within half a
 * second after. The key is band-limited to the voice range so a low drone in a clip does not duck music.
 * (https://ffmpeg.org/ffmpeg-filters.html#sidechaincompress)
 */
export const DUCKING = { threshold: 0.02, ratio: 8, attackMs: 20, releaseMs: 450, keyHighpassHz: 150, keyLowpassHz: 4000 } as const;

/** Music fades out over the last seconds of the film instead of stopping dead at the end. */
export const MUSIC_FADE_OUT_SEC = 1.5;

/** First pass: EBU R128 meter (integrated loudness and true peak) written to `file` (relative to cwd). */
export function loudnessMeterChain(input: { in: string; out: string; file: string }): string {
  return `[${input.in}]ebur128=metadata=1:peak=true,ametadata=mode=print:file=${input.file}[${input.out}]`;
}

export interface LoudnessMeasurement {
  /** LUFS; -Infinity for silence. */
  integratedLufs: number;
  /** dBTP. */
  truePeakDb: number;
}

/** Reads the last (whole-programme) values from the meter's metadata dump. */
export function parseLoudness(text: string): LoudnessMeasurement | undefined {
  const last = (key: string) => {
    const re = new RegExp(`^lavfi\\.r128\\.${key.replace(/\./g, '\\.')}=(\\S+)$`, 'gm');
    let value: string | undefined;
    for (let m = re.exec(text); m; m = re.exec(text)) value = m[1];
    return value;
  };
  const i = last('I');
  if (i === undefined) return undefined;
  const peak = Number(last('true_peak') ?? '0');
  return {
    integratedLufs: /inf|nan/i.test(i) ? -Infinity : Number(i),
    truePeakDb: peak > 0 ? 20 * Math.log10(peak) : -Infinity,
  };
}

/** ebur128 reports −70 LUFS (its gate) for silence: there is nothing to bring up. */
export const SILENCE_LUFS = -69;

/** The loudness stage of the encode: one linear gain, and whether the true-peak safety limiter follows it. */
export interface LoudnessStage {
  gainDb: number;
  limit: boolean;
}

/**
 * The first guess from the measurement: the linear gain that lands the programme on the target, and a limiter
 * only if that gain would push peaks past the ceiling. Silence (or no measurement) is left as it is.
 */
export function loudnessStage(input: { measured?: LoudnessMeasurement; targetLufs: number; ceilingDbtp: number }): LoudnessStage {
  const m = input.measured;
  if (!m) return { gainDb: 0, limit: true };
  const gainDb = Number.isFinite(m.integratedLufs) && m.integratedLufs > SILENCE_LUFS ? input.targetLufs - m.integratedLufs : 0;
  return { gainDb, limit: m.truePeakDb + gainDb > input.ceilingDbtp };
}

/** How close a limited programme must land to the target before the encode (the preset promises 1 LU). */
export const LOUDNESS_TOLERANCE_LU = 0.5;
/** Measuring passes spent correcting for the limiter, at most (each is an audio-only pass over the film). */
export const LOUDNESS_MAX_CORRECTIONS = 4;
/** No correction raises a programme by more than this over the first guess. */
export const LOUDNESS_MAX_EXTRA_DB = 20;

/**
 * The next gain to try when the limiter held the programme below the target. The limiter takes back part
 * of every extra dB (all of it on the peaks, little of it on sustained sound), so loudness grows more slowly
 * than the gain: the first correction adds the whole shortfall, later ones follow the slope measured
 * between the last two tries (secant), never less than the shortfall itself.
 * Returns undefined when the last try is close enough.
 */
export function nextLoudnessGain(tries: { gainDb: number; lufs: number }[], targetLufs: number, firstGainDb: number): number | undefined {
  const last = tries[tries.length - 1];
  const short = targetLufs - last.lufs;
  if (Math.abs(short) <= LOUDNESS_TOLERANCE_LU) return undefined;
  let step = short;
  if (tries.length > 1) {
    const prev = tries[tries.length - 2];
    const slope = (last.lufs - prev.lufs) / (last.gainDb - prev.gainDb);
    // A limiter makes loudness rise at most 1:1 with gain; a flat or odd slope falls back to the plain shortfall.
    if (Number.isFinite(slope) && slope > 0.05 && slope <= 1) step = short / slope;
  }
  if (short > 0) step = Math.max(step, short);
  return Math.min(firstGainDb + LOUDNESS_MAX_EXTRA_DB, last.gainDb + step);
}

/**
 * The loudness stage as a filter chain: the linear gain, then (when needed) a limiter that only acts on
 * peaks past the ceiling. Linear gain keeps the mix (and the ducking) as it was. `stage` overrides the gain
 * worked out from `measured` (after a correcting pass).
 */
export function loudnessChain(input: {
  in: string;
  out: string;
  measured?: LoudnessMeasurement;
  stage?: LoudnessStage;
  targetLufs: number;
  ceilingDbtp: number;
  sampleRate: number;
}): string {
  const stage = input.stage ?? loudnessStage(input);
  const steps = [`volume=${stage.gainDb.toFixed(2)}dB`];
  if (stage.limit) {
    // The limiter works on sample peaks; half a dB more headroom covers the peaks between samples.
    const limit = 10 ** ((input.ceilingDbtp - 0.5) / 20);
    steps.push(`alimiter=limit=${limit.toFixed(4)}:level=0:latency=1:attack=5:release=50`);
  }
  steps.push(`aresample=${input.sampleRate}`);
  return `[${input.in}]${steps.join(',')}[${input.out}]`;
}
