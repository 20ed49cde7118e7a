// The sha256 of a file's bytes, streamed (takes and audio lanes can be large; they are never read whole
// into memory). The one place the core hashes a file: take checks, imports, pictures' cache keys.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

/** Hex sha256 of the file's content. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
