// The film's sound before loudness, as one pure function over PCM (issue 12: the preview is the film). The
// preview mixes with it on every edit and the export feeds it to its loudness stage and encoder, so both play
// the same mix. It is the mix the ffmpeg graph (tests/helpers/ffmpeg-mix-graph.ts `mixGraph`) made, sample for sample (the
// integration test mix-matches-ffmpeg holds it to that graph): the clips, joined end to end or crossfaded
// (acrossfade, tri curves), plus the voice-over lanes form the speech bus; music lanes that duck are summed
// and pushed down by a port of ffmpeg's sidechaincompress (libavfilter/af_sidechaincompress.c), keyed by the
// speech bus through the voice-range band-pass (af_biquads.c highpass + lowpass, RBJ cookbook, Q 0.707);
// other music is summed straight. Each lane: its gain, its place on the timeline, music faded out linearly at
// the end. No I/O here: all PCM is interleaved stereo Float32 at 48 kHz.
import { DUCKING, MUSIC_FADE_OUT_SEC } from './audio';

export const MIX_SAMPLE_RATE = 48000;
export const MIX_CHANNELS = 2; // all PCM here is interleaved stereo Float32 at 48 kHz

export interface MixClip {
  /** The clip's sound from the sample that plays first (its in point), interleaved stereo. May be shorter than lengthSamples (silence after) or longer (cut). */
  pcm: Float32Array;
  /** Film sample (per channel) where it starts. */
  startSample: number;
  /** Samples (per channel) it lasts in the cut, including a crossfade's overlap. */
  lengthSamples: number;
}

export interface MixLane {
  /** The lane file's sound from its own sample 0, interleaved stereo (already at 48 kHz). */
  pcm: Float32Array;
  /** Film sample where the lane's sample 0 plays; negative: its head is cut off. */
  startSample: number;
  kind: 'music' | 'voiceover';
  gainDb: number;
  duck: boolean;
}

/** Where each clip starts when clips of these lengths are joined with `crossfadeSamples` of overlap (0 = butt joins), and the film's length. */
export function placeClips(lengths: number[], crossfadeSamples: number): { starts: number[]; filmSamples: number } {
  const overlap = Math.max(0, crossfadeSamples);
  const starts: number[] = [];
  let at = 0;
  for (const length of lengths) {
    starts.push(at);
    at += length - overlap;
  }
  const filmSamples = lengths.length ? at + overlap : 0;
  return { starts, filmSamples: Math.max(0, filmSamples) };
}

/** The film's sound before loudness: exactly filmSamples long. */
export function mixFilm(input: { clips: MixClip[]; crossfadeSamples: number; lanes: MixLane[]; filmSamples: number }): Float32Array {
  const frames = Math.max(0, Math.round(input.filmSamples));
  // The speech bus; once the music is mixed into it, the film's sound.
  const out = new Float32Array(frames * MIX_CHANNELS);
  const n = input.clips.length;
  const overlap = n > 1 ? Math.max(0, Math.round(input.crossfadeSamples)) : 0;
  let untouched = 0;
  input.clips.forEach((clip, i) => {
    untouched = addClip(out, clip, { fadeIn: i > 0 ? overlap : 0, fadeOut: i < n - 1 ? overlap : 0, untouched });
  });
  const lanes = input.lanes.map((lane) => heard(lane, frames));
  for (const lane of lanes) if (lane.kind === 'voiceover') addLane(out, 0, lane, lane.from, lane.to);
  const ducked = lanes.filter((l) => l.kind === 'music' && l.duck && l.to > l.from);
  if (ducked.length) duckUnder(out, ducked);
  for (const lane of lanes) if (lane.kind === 'music' && !lane.duck) addLane(out, 0, lane, lane.from, lane.to);
  return out;
}

/**
 * One clip into the bus at its place, padded with silence or cut to its length. In a crossfade the clip
 * coming in rises over the overlap and the one going out falls, as acrossfade's tri curves do
 * (af_afade.c: over an overlap of n samples the incoming gain is k/n, the outgoing (n-1-k)/n at its sample k).
 * A clip with no fade over bus frames nothing has touched yet (`untouched` onwards) is copied. Returns the
 * new first untouched frame.
 */
function addClip(bus: Float32Array, clip: MixClip, o: { fadeIn: number; fadeOut: number; untouched: number }): number {
  const frames = bus.length / MIX_CHANNELS;
  const length = Math.max(0, Math.round(clip.lengthSamples));
  const start = Math.round(clip.startSample);
  const from = Math.max(0, -start);
  const to = Math.min(length, Math.floor(clip.pcm.length / MIX_CHANNELS), frames - start);
  if (to <= from) return o.untouched;
  const pcm = clip.pcm;
  if (!o.fadeIn && !o.fadeOut && start + from >= o.untouched) {
    bus.set(pcm.subarray(from * MIX_CHANNELS, to * MIX_CHANNELS), (start + from) * MIX_CHANNELS);
    return start + to;
  }
  const fadeOutAt = length - o.fadeOut;
  for (let k = from; k < to; k++) {
    let gain = 1;
    if (k < o.fadeIn) gain = k / o.fadeIn;
    if (k >= fadeOutAt) gain *= (length - 1 - k) / o.fadeOut;
    const b = (start + k) * MIX_CHANNELS;
    const s = k * MIX_CHANNELS;
    bus[b] += pcm[s] * gain;
    bus[b + 1] += pcm[s + 1] * gain;
  }
  return Math.max(o.untouched, start + to);
}

/** A lane as the mix plays it: the film frames it is heard over [from, to), its gain, where its fade-out starts. */
interface HeardLane extends MixLane {
  start: number;
  from: number;
  to: number;
  gain: number;
  fadeAt: number;
  fadeLength: number;
  filmFrames: number;
}

/**
 * Where a lane is heard: delayed to its start or its head cut off, whatever runs past the film's end not
 * heard; at its gain (volume dB); music faded out linearly over the film's last MUSIC_FADE_OUT_SEC when
 * the film is longer than twice that (afade tri: the gain at film frame t is (end − t) / fade length).
 */
function heard(lane: MixLane, frames: number): HeardLane {
  const start = Math.round(lane.startSample);
  const from = Math.max(0, start);
  const to = Math.max(from, Math.min(frames, start + Math.floor(lane.pcm.length / MIX_CHANNELS)));
  const fadeLength = Math.round(MUSIC_FADE_OUT_SEC * MIX_SAMPLE_RATE);
  const fadeAt = lane.kind === 'music' && frames > fadeLength * 2 ? frames - fadeLength : frames;
  const gain = lane.gainDb ? Math.pow(10, lane.gainDb / 20) : 1;
  return { ...lane, start, from, to, gain, fadeAt, fadeLength, filmFrames: frames };
}

/** Adds the lane's sound over film frames [from, to) (within where it is heard) into `target`, whose frame 0 is film frame `offset`. */
function addLane(target: Float32Array, offset: number, lane: HeardLane, from: number, to: number): void {
  const pcm = lane.pcm;
  const start = lane.start;
  const gain = lane.gain;
  const steady = Math.min(to, lane.fadeAt);
  for (let t = from; t < steady; t++) {
    const s = (t - start) * MIX_CHANNELS;
    const d = (t - offset) * MIX_CHANNELS;
    target[d] += pcm[s] * gain;
    target[d + 1] += pcm[s + 1] * gain;
  }
  const end = lane.filmFrames;
  const perFrame = gain / lane.fadeLength;
  for (let t = Math.max(from, lane.fadeAt); t < to; t++) {
    const g = perFrame * (end - t);
    const s = (t - start) * MIX_CHANNELS;
    const d = (t - offset) * MIX_CHANNELS;
    target[d] += pcm[s] * g;
    target[d + 1] += pcm[s + 1] * g;
  }
}

/** RBJ cookbook biquad, normalized by a0, as af_biquads.c sets up highpass/lowpass with width_type q. */
function biquad(kind: 'highpass' | 'lowpass', frequency: number, q = 0.707) {
  const w0 = (2 * Math.PI * frequency) / MIX_SAMPLE_RATE;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  const b0 = (kind === 'highpass' ? (1 + cos) / 2 : (1 - cos) / 2) / a0;
  const b1 = (kind === 'highpass' ? -(1 + cos) : 1 - cos) / a0;
  return { b0, b1, b2: b0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

const BLOCK = 1024;

/** sidechaincompress's defaults that the ducking does not set (af_sidechaincompress.c options). */
const KNEE = 2.82843;

/**
 * `bus += music × gain`, the gain that of ffmpeg's sidechaincompress (downward, rms detection, channels
 * averaged, makeup 1, mix 1) keyed by the bus itself through the voice-range band-pass. Above the knee the
 * gain follows the ratio; inside it, the Hermite curve between the knee's ends (in the log domain); below
 * it, 1 (and no log/exp is spent).
 */
function duckUnder(bus: Float32Array, lanes: HeardLane[]): void {
  const frames = bus.length / MIX_CHANNELS;
  // The music is summed a block at a time (no film-long buffer), only where some ducked lane is heard.
  const from = Math.min(...lanes.map((l) => l.from));
  const to = Math.max(...lanes.map((l) => l.to));
  const hp = biquad('highpass', DUCKING.keyHighpassHz);
  const lp = biquad('lowpass', DUCKING.keyLowpassHz);
  const ratio = DUCKING.ratio;
  const thres = Math.log(DUCKING.threshold);
  const linKneeStart = DUCKING.threshold / Math.sqrt(KNEE);
  const adjKneeStart = linKneeStart * linKneeStart;
  const kneeStart = Math.log(linKneeStart);
  const kneeStop = Math.log(DUCKING.threshold * Math.sqrt(KNEE));
  const compressedKneeStop = (kneeStop - thres) / ratio + thres;
  const attack = Math.min(1, 1 / ((DUCKING.attackMs * MIX_SAMPLE_RATE) / 4000));
  const release = Math.min(1, 1 / ((DUCKING.releaseMs * MIX_SAMPLE_RATE) / 4000));
  // hermite_interpolation(x, kneeStart, kneeStop, kneeStart, compressedKneeStop, 1, 1/ratio), its constant parts.
  const width = kneeStop - kneeStart;
  const m0 = width;
  const m1 = width / ratio;
  const ct2 = -3 * kneeStart - 2 * m0 + 3 * compressedKneeStop - m1;
  const ct3 = 2 * kneeStart + m0 - 2 * compressedKneeStop + m1;

  // Filter states (direct form I), left and right, through the highpass then the lowpass.
  let hxl1 = 0, hxl2 = 0, hyl1 = 0, hyl2 = 0, lyl1 = 0, lyl2 = 0;
  let hxr1 = 0, hxr2 = 0, hyr1 = 0, hyr2 = 0, lyr1 = 0, lyr2 = 0;
  let linSlope = 0;
  const { b0: hb0, b1: hb1, b2: hb2, a1: ha1, a2: ha2 } = hp;
  const { b0: lb0, b1: lb1, b2: lb2, a1: la1, a2: la2 } = lp;

  const music = new Float32Array(BLOCK * MIX_CHANNELS);
  for (let blockStart = 0; blockStart < frames; blockStart += BLOCK) {
    const blockEnd = Math.min(frames, blockStart + BLOCK);
    const withMusic = blockEnd > from && blockStart < to;
    if (withMusic) {
      music.fill(0);
      for (const lane of lanes) {
        const a = Math.max(blockStart, lane.from);
        const b = Math.min(blockEnd, lane.to);
        if (b > a) addLane(music, blockStart, lane, a, b);
      }
    }
    for (let t = blockStart; t < blockEnd; t++) {
      const i = t * MIX_CHANNELS;
      const xl = bus[i];
      const xr = bus[i + 1];
      // The lowpass's input history is the highpass's output history (hy*1, hy*2 before they move on).
      const hl = hb0 * xl + hb1 * hxl1 + hb2 * hxl2 - ha1 * hyl1 - ha2 * hyl2;
      const kl = lb0 * hl + lb1 * hyl1 + lb2 * hyl2 - la1 * lyl1 - la2 * lyl2;
      hxl2 = hxl1; hxl1 = xl; hyl2 = hyl1; hyl1 = hl; lyl2 = lyl1; lyl1 = kl;
      const hr = hb0 * xr + hb1 * hxr1 + hb2 * hxr2 - ha1 * hyr1 - ha2 * hyr2;
      const kr = lb0 * hr + lb1 * hyr1 + lb2 * hyr2 - la1 * lyr1 - la2 * lyr2;
      hxr2 = hxr1; hxr1 = xr; hyr2 = hyr1; hyr1 = hr; lyr2 = lyr1; lyr1 = kr;

      let detected = (Math.abs(kl) + Math.abs(kr)) / 2;
      detected *= detected;
      linSlope += (detected - linSlope) * (detected > linSlope ? attack : release);
      let gain = 1;
      if (linSlope > adjKneeStart) {
        const slope = 0.5 * Math.log(linSlope);
        let g: number;
        if (slope < kneeStop) {
          const u = (slope - kneeStart) / width;
          g = ((ct3 * u + ct2) * u + m0) * u + kneeStart;
        } else g = (slope - thres) / ratio + thres;
        gain = Math.exp(g - slope);
      }
      if (withMusic) {
        const m = (t - blockStart) * MIX_CHANNELS;
        bus[i] = xl + music[m] * gain;
        bus[i + 1] = xr + music[m + 1] * gain;
      }
    }
    // Silence lets the filters' memory decay into subnormal numbers, which are slow to compute with; below
    // 1e-20 nothing of it can reach the gain, so it is let go.
    if (Math.abs(hyl1) + Math.abs(hyl2) + Math.abs(lyl1) + Math.abs(lyl2) < 1e-20) hyl1 = hyl2 = lyl1 = lyl2 = 0;
    if (Math.abs(hyr1) + Math.abs(hyr2) + Math.abs(lyr1) + Math.abs(lyr2) < 1e-20) hyr1 = hyr2 = lyr1 = lyr2 = 0;
    if (linSlope < 1e-30) linSlope = 0;
  }
}
