// The one sha256-of-a-file helper: the digest of the bytes on disk, for small and large files alike.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../../electron/core/util/hash-file';

const dir = fs.mkdtemp(path.join(os.tmpdir(), 'sr-hash-'));
afterAll(async () => fs.rm(await dir, { recursive: true, force: true }));

describe('sha256File', () => {
  it('is the standard sha256 of the content ("abc")', async () => {
    const file = path.join(await dir, 'abc.txt');
    await fs.writeFile(file, 'abc');
    expect(await sha256File(file)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reads a file larger than one stream chunk whole', async () => {
    const file = path.join(await dir, 'big.bin');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 0);
    for (let i = 0; i < bytes.length; i += 4093) bytes[i] = i % 251;
    await fs.writeFile(file, bytes);
    expect(await sha256File(file)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('refuses a file that is not there', async () => {
    await expect(sha256File(path.join(await dir, 'missing.mp4'))).rejects.toThrow(/ENOENT/);
  });
});
