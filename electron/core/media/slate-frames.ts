// Which pictures a shot's slate shows: its start frame (and end frame) when the file is in the project.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Shot } from '../../../shared/schema';

/** Absolute paths of the slate's pictures, or undefined for a text slate (no start frame, or its file is gone). */
export function slateFrames(dir: string, shot: Pick<Shot, 'startFrame' | 'endFrame'>): { start: string; end?: string } | undefined {
  if (!shot.startFrame) return undefined;
  const start = path.join(dir, shot.startFrame);
  if (!existsSync(start)) return undefined;
  const end = shot.endFrame ? path.join(dir, shot.endFrame) : undefined;
  return end && existsSync(end) ? { start, end } : { start };
}
