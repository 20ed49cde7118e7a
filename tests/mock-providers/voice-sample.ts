// What the voice-cloning endpoints say of a sample, for the mocks: fal create-voice "Duration must be 5-30
// seconds with clean, single-voice audio" and ".mp3/.wav audio or .mp4/.mov video"
// (fal.ai/models/fal-ai/kling-video/create-voice/llms.txt); Kling custom-voices "5–30 s, single clean voice"
// (docs/providers.md §5.2). The mock measures the bytes it got with ffprobe; cleanliness it cannot judge.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probe } from '../../electron/core/media/probe';

export const SAMPLE_MIN_SEC = 5;
export const SAMPLE_MAX_SEC = 30;

/** Why the provider would refuse these bytes as a voice sample, or undefined when it takes them. */
export async function voiceSampleProblem(data: Buffer | undefined): Promise<string | undefined> {
  if (!data?.length) return 'Could not load the voice file from the given URL';
  const file = path.join(os.tmpdir(), `storyreel-mock-voice-${randomUUID()}`);
  await fs.writeFile(file, data);
  try {
    const info = await probe(file).catch(() => null);
    if (!info?.audio) return 'The voice file has no audio track';
    const sec = info.audio.durationSec ?? info.durationSec;
    if (sec < SAMPLE_MIN_SEC || sec > SAMPLE_MAX_SEC) return `Voice audio duration must be between ${SAMPLE_MIN_SEC} and ${SAMPLE_MAX_SEC} seconds, got ${sec.toFixed(1)} seconds`;
    return undefined;
  } finally {
    await fs.rm(file, { force: true });
  }
}

/** A voice id as both providers show them: digits (fal's example "829877809978941442"). */
export function mockVoiceId(): string {
  return `8${Array.from({ length: 17 }, () => Math.floor(Math.random() * 10)).join('')}`;
}
