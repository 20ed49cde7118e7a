// ffprobe: what a media file holds (probe → ProbeResult) and where its keyframes are. Always the ffprobe that
// ffmpegInfo() chose, always with a time limit: a file on a hung network drive must not stall a stitch for ever.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { ffmpegInfo } from './ffmpeg-locate';
import { execTracked, type ExecFailure } from './processes';

/** How long ffprobe may take to describe one file (it reads the header; a second is a lot). */
export const PROBE_TIMEOUT_MS = 20_000;
/** How long reading a file's packet index for its keyframes may take (a two-hour import reads every packet). */
export const KEYFRAMES_TIMEOUT_MS = 60_000;

/** The error for an ffprobe that did not answer in time: which file, that nothing changed, what to try. */
function probeTimedOut(file: string, limitMs: number): StudioError {
  return new StudioError(
    'FFMPEG_FAILED',
    `ffprobe did not finish reading ${file} within ${limitMs / 1000} s, so it was stopped and nothing was changed. ` +
      'If the file is on a network drive or still being written, copy it to a local disk (or wait) and try again.',
  );
}

export interface ProbeResult {
  durationSec: number;
  formatName: string;
  /** Where the earliest stream starts (seconds); a copy-concat needs 0. */
  startSec: number;
  video?: {
    codec: string;
    profile?: string;
    width: number;
    height: number;
    fps: number;
    pixFmt?: string;
    timeBase?: string;
    durationSec?: number;
    /** Frame count where the container records it (MP4/MOV do). */
    frames?: number;
    startSec?: number;
    /** Hash of the decoder configuration (H.264 SPS/PPS): clips can share one stream only when it is equal. */
    extradataHash?: string;
    /** Reordered frames the decoder must hold (0 = no B-frames); absent from probes cached before it was read. */
    bFrames?: number;
  };
  audio?: { codec: string; profile?: string; sampleRate: number; channels: number; channelLayout?: string; durationSec?: number; startSec?: number };
}

function rate(r: string | undefined): number {
  const [n, d] = (r ?? '0/1').split('/').map(Number);
  return d ? n / d : 0;
}

/** Identity of a file's content as far as the file system can tell: survives a rename (the engine's `.part` → final name). */
export function fileStamp(st: { dev: number; ino: number; size: number; mtimeMs: number }): string {
  return `${st.dev}:${st.ino}:${st.size}:${Math.round(st.mtimeMs)}`;
}

/** Every probe this process made, by file stamp, so the stitch does not probe again a clip the engine just checked. */
const probed = new Map<string, ProbeResult>();

/** Forgets every earlier probe (tests and benches that must start cold). */
export function forgetProbes(): void {
  probed.clear();
}

/** What a probe of this same file (same stamp) found earlier in this process, if any. */
export function earlierProbe(stamp: string): ProbeResult | undefined {
  return probed.get(stamp);
}

export async function probe(file: string, opts: { timeoutMs?: number } = {}): Promise<ProbeResult> {
  const { ffprobePath } = await ffmpegInfo();
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  const { stdout } = await execTracked(
    ffprobePath,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_data_hash', 'sha256', file],
    { maxBuffer: 8 << 20, timeoutMs },
  ).catch((err: ExecFailure) => {
    if (err.timedOut) throw probeTimedOut(file, timeoutMs);
    if (err.stoppedOnQuit) throw new StudioError('FFMPEG_FAILED', `Reading ${path.basename(file)} was stopped: Storyreel is quitting.`);
    throw new StudioError('FFMPEG_FAILED', `${path.basename(file)} is not a playable media file: ${(err.stderr || err.message).trim().split('\n')[0]}`);
  });
  const info = parseProbe(stdout);
  const st = await fsp.stat(file).catch(() => undefined);
  if (st) {
    if (probed.size > 5000) probed.clear();
    probed.set(fileStamp(st), info);
  }
  return info;
}

/** ffprobe's JSON → ProbeResult (pure, so odd files can be tested from their JSON). */
export function parseProbe(json: string): ProbeResult {
  type Stream = Record<string, string | number | undefined>;
  const data = JSON.parse(json) as { format?: Record<string, string>; streams?: Stream[] };
  const streams = data.streams ?? [];
  // Cover art in an MP4 is a one-frame "video" stream; the picture is the real video stream.
  const v = streams.find((s) => s.codec_type === 'video' && !(s.disposition as unknown as Record<string, number> | undefined)?.attached_pic);
  const a = streams.find((s) => s.codec_type === 'audio');
  const num = (x: unknown) => (x === undefined || x === 'N/A' || x === '' ? undefined : Number.isFinite(Number(x)) ? Number(x) : undefined);
  const format = data.format ?? {};
  return {
    durationSec: num(format.duration) ?? 0,
    formatName: format.format_name ?? '',
    startSec: num(format.start_time) ?? 0,
    video: v && {
      codec: String(v.codec_name),
      profile: v.profile as string | undefined,
      width: Number(v.width),
      height: Number(v.height),
      fps: rate(v.avg_frame_rate as string) || rate(v.r_frame_rate as string),
      pixFmt: v.pix_fmt as string | undefined,
      timeBase: v.time_base as string | undefined,
      durationSec: num(v.duration),
      frames: num(v.nb_frames),
      startSec: num(v.start_time),
      extradataHash: v.extradata_hash as string | undefined,
      bFrames: num(v.has_b_frames),
    },
    audio: a && {
      codec: String(a.codec_name),
      profile: a.profile as string | undefined,
      sampleRate: Number(a.sample_rate),
      channels: Number(a.channels),
      channelLayout: a.channel_layout as string | undefined,
      durationSec: num(a.duration),
      startSec: num(a.start_time),
    },
  };
}

/** Presentation times (s) of the video keyframes, read from the packet index (fast: nothing is decoded). */
export async function keyframeTimes(file: string, opts: { timeoutMs?: number } = {}): Promise<number[]> {
  const { ffprobePath } = await ffmpegInfo();
  const timeoutMs = opts.timeoutMs ?? KEYFRAMES_TIMEOUT_MS;
  const { stdout } = await execTracked(
    ffprobePath,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file],
    { maxBuffer: 32 << 20, timeoutMs },
  ).catch((err: ExecFailure) => {
    throw err.timedOut ? probeTimedOut(file, timeoutMs) : err;
  });
  return parseKeyframes(stdout);
}

/** Parses `pts_time,flags` lines; a keyframe packet's flags start with K. */
export function parseKeyframes(csv: string): number[] {
  const times: number[] = [];
  for (const line of csv.split('\n')) {
    const [t, flags] = line.trim().split(',');
    if (flags?.startsWith('K') && t !== 'N/A' && Number.isFinite(Number(t))) times.push(Number(t));
  }
  return times.sort((a, b) => a - b);
}
