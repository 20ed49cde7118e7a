// Reference images enter the project by copy, under a content-hashed name, so the document never holds
// an absolute path and the same picture used twice is stored once.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { checkImage, imageInfo } from '../providers/assets';
import { atomicWriteFile } from './atomic-write';

/** Copies a checked image into media/refs/ and returns its project-relative path. */
export async function importImage(projectDir: string, data: Buffer): Promise<string> {
  const info = imageInfo(data)!;
  const name = `${createHash('sha256').update(data).digest('hex').slice(0, 16)}.${info.format === 'jpeg' ? 'jpg' : 'png'}`;
  const rel = path.posix.join('media', 'refs', name);
  await fs.mkdir(path.join(projectDir, 'media', 'refs'), { recursive: true });
  // Renamed into place: a page may be showing the same picture (same name) while it is written again.
  await atomicWriteFile(path.join(projectDir, rel), data);
  return rel;
}

export { checkImage };
