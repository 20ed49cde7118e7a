// How every cache here knows a version of a file without reading it: where it is in the project, its size and
// when it was written (a rewritten file gets a new identity, so nothing stale is reused).
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function fileIdentity(dir: string, file: string): Promise<string> {
  const st = await fs.stat(file);
  return `${path.relative(dir, file)}:${st.size}:${Math.round(st.mtimeMs)}`;
}
