// The film's sound before loudness, as one pure function over PCM (issue 12: the preview is the film). The
// preview mixes with it on every edit and the export feeds it to its loudness stage and encoder, so both play
// the same mix. It is the mix the ffmpeg graph (tests/helpers/ffmpeg-mix-graph.ts `mixGraph`) made, to within a millionth (the
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

/**
 * RBJ cookbook biquad, normalized by a0, as af_biquads.c sets up highpass/lowpass (2 poles, width_type q).
 * Its b1 is ∓2·b0 and b2 is b0 (highpass −, lowpass +), so b0 is all the filter needs.
 */
function biquad(kind: 'highpass' | 'lowpass', frequency: number, q = 0.707) {
  const w0 = (2 * Math.PI * frequency) / MIX_SAMPLE_RATE;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  const b0 = (kind === 'highpass' ? (1 + cos) / 2 : (1 - cos) / 2) / a0;
  return { b0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

const BLOCK = 1024;
/** How much of the speech before the music the detector hears first (see duckUnder). */
const SETTLE_SEC = 3;

/**
 * ffmpeg works the gain out with a log and an exp on every sample above the knee's start; that alone costs
 * more than the whole mix may (~150 ms for 2 minutes of ducked music). The gain is a smooth function of the
 * detector level, so it is worked out exactly where the level is, with its first two derivatives, and
 * followed by the second-order polynomial while the level stays within ±2 % of there (and on the same side of
 * the knee's end, where the curve's bend changes). The error is of the third order: under 1e-6 of the gain,
 * some 120 dB down.
 */
const ANCHOR_SPAN = 0.02;

/** sidechaincompress's defaults that the ducking does not set (af_sidechaincompress.c options). */
const KNEE = 2.82843;

/**
 * `bus += music × gain`, the gain that of ffmpeg's sidechaincompress (downward, rms detection, channels
 * averaged, makeup 1, mix 1) keyed by the bus itself through the voice-range band-pass. Above the knee the
 * gain follows the ratio; inside it, the Hermite curve between the knee's ends (in the log domain); below
 * it, 1.
 */
function duckUnder(bus: Float32Array, lanes: HeardLane[]): void {
  // Only where some ducked lane is heard, after the detector has settled on the speech before it (its memory
  // shrinks by the release coefficient or faster every sample, so what came earlier is ~1e-12 of it by then).
  const from = Math.min(...lanes.map((l) => l.from));
  const to = Math.max(...lanes.map((l) => l.to));
  const begin = Math.max(0, from - SETTLE_SEC * MIX_SAMPLE_RATE);
  const k = compressorConstants();
  const state = new Float64Array(STATE_SIZE);
  state[ANCHOR_LOW] = Infinity;
  state[ANCHOR_HIGH] = -Infinity;
  state[G0] = 1;
  const block = new Float32Array(BLOCK * MIX_CHANNELS);
  for (let blockStart = begin; blockStart < to; blockStart += BLOCK) {
    const blockEnd = Math.min(to, blockStart + BLOCK);
    // The music under this block: one lane heard all through it at a steady gain is read where it lies;
    // otherwise the lanes are summed into `block`.
    let music: { pcm: Float32Array; frame0: number; gain: number } | undefined;
    const only = lanes.length === 1 ? lanes[0] : undefined;
    if (only && only.from <= blockStart && blockEnd <= Math.min(only.to, only.fadeAt)) music = { pcm: only.pcm, frame0: only.start, gain: only.gain };
    else if (blockEnd > from) {
      block.fill(0);
      for (const lane of lanes) {
        const a = Math.max(blockStart, lane.from);
        const b = Math.min(blockEnd, lane.to);
        if (b > a) addLane(block, blockStart, lane, a, b);
      }
      music = { pcm: block, frame0: blockStart, gain: 1 };
    }
    // A silent stretch (a clip without sound) with the filters at rest keys nothing: the filters are skipped.
    let silent = true;
    for (let i = 0; i < LIN_SLOPE && silent; i++) silent = state[i] === 0;
    if (silent) silent = isSilent(bus, blockStart, blockEnd);
    duckBlock({ bus, music, from: blockStart, to: blockEnd, silent, state, k });
  }
}

function isSilent(bus: Float32Array, from: number, to: number): boolean {
  for (let i = from * MIX_CHANNELS; i < to * MIX_CHANNELS; i++) if (bus[i] !== 0) return false;
  return true;
}

/** The compressor's constants, worked out as af_sidechaincompress.c's config does, and the key's filters. */
function compressorConstants() {
  const hp = biquad('highpass', DUCKING.keyHighpassHz);
  const lp = biquad('lowpass', DUCKING.keyLowpassHz);
  const ratio = DUCKING.ratio;
  const thres = Math.log(DUCKING.threshold);
  const linKneeStart = DUCKING.threshold / Math.sqrt(KNEE);
  const linKneeStop = DUCKING.threshold * Math.sqrt(KNEE);
  const kneeStart = Math.log(linKneeStart);
  const kneeStop = Math.log(linKneeStop);
  const compressedKneeStop = (kneeStop - thres) / ratio + thres;
  // hermite_interpolation(x, kneeStart, kneeStop, kneeStart, compressedKneeStop, 1, 1/ratio), its constant parts.
  const width = kneeStop - kneeStart;
  const m0 = width;
  const m1 = width / ratio;
  return {
    hb0: hp.b0, ha1: hp.a1, ha2: hp.a2, lb0: lp.b0, la1: lp.a1, la2: lp.a2,
    ratio, thres, kneeStart, kneeStop, width,
    adjKneeStart: linKneeStart * linKneeStart,
    adjKneeStop: linKneeStop * linKneeStop,
    ct2: -3 * kneeStart - 2 * m0 + 3 * compressedKneeStop - m1,
    ct3: 2 * kneeStart + m0 - 2 * compressedKneeStop + m1,
    attack: Math.min(1, 1 / ((DUCKING.attackMs * MIX_SAMPLE_RATE) / 4000)),
    release: Math.min(1, 1 / ((DUCKING.releaseMs * MIX_SAMPLE_RATE) / 4000)),
  };
}
type Compressor = ReturnType<typeof compressorConstants>;

// The compressor's state between blocks: the key filters' memory (left then right: highpass in, highpass
// out, lowpass out, two samples each), the detector, and the gain's expansion (see ANCHOR_SPAN).
const LIN_SLOPE = 12;
const ANCHOR_INV = 13, ANCHOR_LOW = 14, ANCHOR_HIGH = 15, G0 = 16, G1 = 17, G2 = 18;
const STATE_SIZE = 19;

/**
 * One block of the compressor over bus frames [from, to), and the music (if any: `pcm` at `gain`, its frame 0
 * at film frame `frame0`) added at the compressor's gain.
 */
function duckBlock(o: {
  bus: Float32Array;
  music?: { pcm: Float32Array; frame0: number; gain: number };
  from: number;
  to: number;
  silent: boolean;
  state: Float64Array;
  k: Compressor;
}): void {
  const { bus, from, silent, state: st, k } = o;
  const music = o.music?.pcm;
  const musicGain = o.music?.gain ?? 0;
  const shift = -(o.music?.frame0 ?? 0) * MIX_CHANNELS;
  const { hb0, ha1, ha2, lb0, la1, la2, ratio, thres, adjKneeStart, adjKneeStop, kneeStart, kneeStop, width, ct2, ct3, attack, release } = k;
  let hxl1 = st[0], hxl2 = st[1], hyl1 = st[2], hyl2 = st[3], lyl1 = st[4], lyl2 = st[5];
  let hxr1 = st[6], hxr2 = st[7], hyr1 = st[8], hyr2 = st[9], lyr1 = st[10], lyr2 = st[11];
  let linSlope = st[LIN_SLOPE];
  let anchorInv = st[ANCHOR_INV], anchorLow = st[ANCHOR_LOW], anchorHigh = st[ANCHOR_HIGH], g0 = st[G0], g1 = st[G1], g2 = st[G2];
  for (let t = from; t < o.to; t++) {
    const i = t * MIX_CHANNELS;
    const xl = bus[i];
    const xr = bus[i + 1];
    let detected = 0;
    if (!silent) {
      // The lowpass's input history is the highpass's output history (hy*1, hy*2 before they move on). The
      // feedback terms come last: the next sample waits on them alone.
      const hl = hb0 * (xl - 2 * hxl1 + hxl2) - ha2 * hyl2 - ha1 * hyl1;
      const kl = lb0 * (hl + 2 * hyl1 + hyl2) - la2 * lyl2 - la1 * lyl1;
      hxl2 = hxl1; hxl1 = xl; hyl2 = hyl1; hyl1 = hl; lyl2 = lyl1; lyl1 = kl;
      const hr = hb0 * (xr - 2 * hxr1 + hxr2) - ha2 * hyr2 - ha1 * hyr1;
      const kr = lb0 * (hr + 2 * hyr1 + hyr2) - la2 * lyr2 - la1 * lyr1;
      hxr2 = hxr1; hxr1 = xr; hyr2 = hyr1; hyr1 = hr; lyr2 = lyr1; lyr1 = kr;
      detected = (Math.abs(kl) + Math.abs(kr)) / 2;
      detected *= detected;
    }
    linSlope += (detected - linSlope) * (detected > linSlope ? attack : release);
    if (!music) continue;

    let gain = 1;
    if (linSlope > adjKneeStart) {
      if (linSlope < anchorLow || linSlope > anchorHigh) {
        // The gain exactly (log and exp), and its slope and curvature here; near it, the polynomial.
        const slope = 0.5 * Math.log(linSlope);
        let g: number;
        let f1: number;
        let f2: number;
        if (slope < kneeStop) {
          const u = (slope - kneeStart) / width;
          g = ((ct3 * u + ct2) * u + width) * u + kneeStart;
          f1 = 0.5 * (((3 * ct3 * u + 2 * ct2) * u + width) / width) - 0.5;
          f2 = (0.25 * (6 * ct3 * u + 2 * ct2)) / (width * width);
        } else {
          g = (slope - thres) / ratio + thres;
          f1 = 0.5 / ratio - 0.5;
          f2 = 0;
        }
        g0 = Math.exp(g - slope);
        g1 = g0 * f1;
        g2 = (g0 * (f2 - f1 + f1 * f1)) / 2;
        anchorInv = 1 / linSlope;
        anchorLow = linSlope * (1 - ANCHOR_SPAN);
        anchorHigh = linSlope * (1 + ANCHOR_SPAN);
        if (linSlope < adjKneeStop) anchorHigh = Math.min(anchorHigh, adjKneeStop);
        else anchorLow = Math.max(anchorLow, adjKneeStop);
      }
      const d = linSlope * anchorInv - 1;
      gain = g0 + d * (g1 + d * g2);
    }
    const m = i + shift;
    gain *= musicGain;
    bus[i] = xl + music[m] * gain;
    bus[i + 1] = xr + music[m + 1] * gain;
  }
  // Silence lets the filters' memory decay into subnormal numbers, which are slow to compute with; below
  // 1e-20 nothing of it can reach the gain, so it is let go (and a silent stretch can skip the filters).
  if (Math.abs(hyl1) + Math.abs(hyl2) + Math.abs(lyl1) + Math.abs(lyl2) < 1e-20) hyl1 = hyl2 = lyl1 = lyl2 = 0;
  if (Math.abs(hyr1) + Math.abs(hyr2) + Math.abs(lyr1) + Math.abs(lyr2) < 1e-20) hyr1 = hyr2 = lyr1 = lyr2 = 0;
  if (linSlope < 1e-30) linSlope = 0;
  st.set([hxl1, hxl2, hyl1, hyl2, lyl1, lyl2, hxr1, hxr2, hyr1, hyr2, lyr1, lyr2, linSlope, anchorInv, anchorLow, anchorHigh, g0, g1, g2]);
}
