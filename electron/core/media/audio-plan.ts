// The stitched cut's audio, joined without re-encoding and without drift (pure functions, unit tested).
//
// Why this exists: every AAC clip starts with one "priming" frame (1024 samples the decoder throws away,
// recorded in the MP4 edit list) and ends on a whole frame (padding). Copy-concatenating MP4s keeps both, so
// each clip adds ~21–43 ms of sound and the picture falls behind — about half a second after twenty clips.
// An edit list per clip would fix it, but the concat demuxer cannot write one and players handle multi-entry
// edit lists unevenly.
//
// So the cut's audio is assembled here, frame by frame, as one ADTS stream: each clip contributes its
// priming frame followed by whole frames of its own sound, and the number of frames is chosen so that every
// clip's sound starts within half an AAC frame (±10.7 ms at 48 kHz, well under one 41.7 ms video frame) of
// its first picture. The error never accumulates: each cut is placed against the exact running total of the
// picture, not against the previous cut. The priming frame of the next clip fills the last frame of the clip
// before it, so a cut is a 21 ms dip in that clip's tail rather than a pile-up.
//
// ADTS reference: ISO/IEC 13818-7 §6.2 (adts_fixed_header / adts_variable_header).

/** Splits an ADTS stream into its frames (each starting with the 0xFFF sync word and carrying its length). */
export function adtsFrames(buf: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let p = 0;
  while (p + 7 <= buf.length) {
    if (buf[p] !== 0xff || (buf[p + 1] & 0xf6) !== 0xf0) throw new Error(`not an ADTS stream (no sync word at byte ${p})`);
    const length = ((buf[p + 3] & 0x03) << 11) | (buf[p + 4] << 3) | (buf[p + 5] >> 5);
    if (length < 7 || p + length > buf.length) throw new Error(`truncated ADTS frame at byte ${p}`);
    // One raw data block per ADTS frame is what ffmpeg writes; more would mean more than 1024 samples.
    if ((buf[p + 6] & 0x03) !== 0) throw new Error(`ADTS frame at byte ${p} holds more than one AAC frame`);
    frames.push(buf.subarray(p, p + length));
    p += length;
  }
  if (p !== buf.length) throw new Error(`truncated ADTS stream (${buf.length - p} stray bytes at the end)`);
  return frames;
}

/** Sampling rate, channel configuration and object type of an ADTS frame: frames joined must agree on all three. */
export function adtsFormat(frame: Uint8Array): { sampleRateIndex: number; channels: number; objectType: number } {
  return { objectType: (frame[2] >> 6) + 1, sampleRateIndex: (frame[2] >> 2) & 0x0f, channels: ((frame[2] & 0x01) << 2) | (frame[3] >> 6) };
}

/** The ADTS sampling_frequency_index of a rate (ISO/IEC 14496-3 Table 1.18), or -1 for a rate it has no index for. */
export function adtsSampleRateIndex(rate: number): number {
  return [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350].indexOf(rate);
}

export interface AudioPlan {
  /** AAC frames each clip contributes (its priming frame included). */
  frames: number[];
  /** Per clip: where its sound starts minus where its picture starts, in samples (|offset| ≤ half a frame). */
  offsetSamples: number[];
}

/**
 * How many AAC frames each clip contributes so every clip's sound starts on its picture. `videoFrames` are
 * the clips' lengths in video frames. Audio position p (in frames) starts at timeline sample (p − 1) × 1024,
 * because the first clip's priming frame is skipped by the output's edit list; clip k's own sound starts
 * one frame after its priming frame, at N_k × 1024, where N_k = round(picture start / 1024).
 */
export function planAudio(input: { videoFrames: number[]; fps: number; sampleRate: number; frameSamples?: number }): AudioPlan {
  const F = input.frameSamples ?? 1024;
  const frames: number[] = [];
  const offsetSamples: number[] = [];
  let cumFrames = 0;
  let used = 0; // AAC frames placed so far
  const startSample = (videoFrame: number) => Math.round((videoFrame * input.sampleRate) / input.fps);
  input.videoFrames.forEach((n, k) => {
    const start = startSample(cumFrames);
    offsetSamples.push(used * F - start);
    cumFrames += n;
    const end = startSample(cumFrames);
    const last = k === input.videoFrames.length - 1;
    // The last clip stops on or before the picture's end (≤ one frame of silence), so the file's length is the picture's.
    const target = last ? Math.floor(end / F) + 1 : Math.round(end / F);
    frames.push(Math.max(1, target - used));
    used += frames[k];
  });
  return { frames, offsetSamples };
}

/** Does assembling need silent frames (a clip without sound, or with less sound than its picture)? */
export function needsSilence(clips: (Uint8Array[] | undefined)[], frames: number[]): boolean {
  return clips.some((clip, k) => !clip || clip.length < frames[k]);
}

/**
 * Builds the cut's audio: clip k's first `frames[k]` frames, topped up with silent frames when its sound is
 * shorter than its picture (or it has none).
 */
export function assembleAudio(input: { clips: (Uint8Array[] | undefined)[]; frames: number[]; silentFrame?: Uint8Array }): Uint8Array {
  const parts: Uint8Array[] = [];
  input.clips.forEach((clip, k) => {
    const want = input.frames[k];
    const own = clip ? clip.slice(0, want) : [];
    parts.push(...own);
    if (own.length < want && !input.silentFrame) throw new Error(`clip ${k + 1} needs ${want - own.length} frames of silence, and none was given`);
    for (let i = own.length; i < want; i++) parts.push(input.silentFrame!);
  });
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
