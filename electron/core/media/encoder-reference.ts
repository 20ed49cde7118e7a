// The decoder configuration (SPS/PPS hash) our own encoder writes for a stitch target. A clip is copied next
// to slates and proxies only when its configuration is the same: one MP4 track carries one configuration,
// and a clip encoded differently would decode as garbage. Remembered per ffmpeg version in cache/.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { atomicWriteFile } from '../project/atomic-write';
import { cacheKey } from './cache-files';
import { referenceEncodeJob, type StitchTarget } from './ffmpeg-args';
import { ffmpegInfo, probe, runFfmpeg } from './ffmpeg';

const referenceMemo = new Map<string, Promise<string | undefined>>();

export async function encoderReference(dir: string, t: StitchTarget): Promise<string | undefined> {
  const { version } = await ffmpegInfo();
  const key = `${version}|${t.width}x${t.height}@${t.fps}`;
  let p = referenceMemo.get(key);
  if (!p) {
    p = (async () => {
      const store = path.join(dir, 'cache', 'encoder-reference.json');
      const known = await fs.readFile(store, 'utf8').then((s) => JSON.parse(s) as Record<string, string>, () => ({}) as Record<string, string>);
      if (known[key]) return known[key];
      const file = path.join(dir, 'cache', `.reference-${cacheKey(key)}.mp4`);
      await fs.mkdir(path.dirname(file), { recursive: true });
      try {
        await runFfmpeg(referenceEncodeJob(t, file));
        const hash = (await probe(file)).video?.extradataHash;
        if (hash) await atomicWriteFile(store, JSON.stringify({ ...known, [key]: hash }));
        return hash;
      } finally {
        await fs.rm(file, { force: true });
      }
    })();
    p.catch(() => referenceMemo.delete(key));
    referenceMemo.set(key, p);
  }
  return p;
}
