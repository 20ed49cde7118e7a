// Reference images (start/end frames, element images) against the limits every Kling V3 provider shares
// (docs/providers.md §2.6, §3.4, §5.4: jpg/png, ≤ 10 MB, ≥ 300 px a side, aspect 0.4–2.5), and how they are
// encoded for each provider (data URI for fal/Replicate/Lumenfall, bare base64 for Kling).
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAssets, checkImage, imageInfo, resolveAssets } from '../../../electron/core/providers/assets';
import { StudioError } from '../../../shared/errors';
import { png } from '../../helpers/png';
import { specFactory } from '../../helpers/spec';

const exec = promisify(execFile);
const spec = specFactory({ provider: 'fal' });

/** A PNG carrying `extra` bytes of metadata in a private ancillary chunk (a photo with a big ICC profile, say). */
function pngWithPadding(width: number, height: number, extra: number): Buffer {
  const base = png(width, height);
  const iendAt = base.length - 12;
  const type = Buffer.from('prVt', 'ascii');
  const data = Buffer.alloc(extra, 0x20);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([type, data])) >>> 0);
  return Buffer.concat([base.subarray(0, iendAt), len, type, data, crc, base.subarray(iendAt)]);
}

let dir: string;
let jpeg: Buffer;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-assets-'));
  // A real JPEG as cameras and editors write them (ffmpeg's encoder: JFIF APP0, quant and Huffman tables, SOF0).
  const file = path.join(dir, 'photo.jpg');
  await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=640x360', '-frames:v', '1', file]);
  jpeg = await fs.readFile(file);
  await fs.writeFile(path.join(dir, 'start.png'), png(640, 360));
  await fs.writeFile(path.join(dir, 'small.png'), png(200, 200));
  await fs.writeFile(path.join(dir, 'strip.png'), png(900, 300));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('reference image limits', () => {
  it('reads the size of a real JPEG and of a PNG', () => {
    expect(imageInfo(jpeg)).toEqual({ format: 'jpeg', width: 640, height: 360 });
    expect(imageInfo(png(301, 777))).toEqual({ format: 'png', width: 301, height: 777 });
  });

  it('accepts the edges of the limits: 300 px a side, aspect exactly 0.4 and 2.5', () => {
    expect(checkImage(png(300, 300), 'start frame')).toEqual([]);
    expect(checkImage(png(750, 300), 'start frame')).toEqual([]);
    expect(checkImage(png(300, 750), 'start frame')).toEqual([]);
    expect(checkImage(jpeg, 'start frame')).toEqual([]);
  });

  it('refuses a side under 300 px, naming the image and its size', () => {
    expect(checkImage(png(299, 400), 'start frame (a.png)')).toEqual(['start frame (a.png) is 299×400; each side must be at least 300 px']);
  });

  it('refuses an aspect ratio beyond 2.5:1 either way', () => {
    // Just past the limit, the figure shows enough digits not to read as allowed.
    expect(checkImage(png(751, 300), 'end frame')).toEqual(['end frame is 751×300, an aspect ratio of 2.503; it must be between 0.4 (1:2.5) and 2.5 (2.5:1)']);
    expect(checkImage(png(300, 751), 'end frame')).toEqual(['end frame is 300×751, an aspect ratio of 0.399; it must be between 0.4 (1:2.5) and 2.5 (2.5:1)']);
    expect(checkImage(png(1200, 300), 'end frame')).toEqual(['end frame is 1200×300, an aspect ratio of 4.00; it must be between 0.4 (1:2.5) and 2.5 (2.5:1)']);
  });

  it('refuses a file over 10 MB, and just under passes', () => {
    const limit = 10 * 1024 * 1024;
    const small = png(300, 300).length;
    const at = pngWithPadding(300, 300, limit - small - 12);
    expect(at.length).toBe(limit);
    expect(checkImage(at, 'start frame')).toEqual([]);
    const over = pngWithPadding(300, 300, limit - small - 12 + 1);
    expect(checkImage(over, 'start frame')).toEqual(['start frame is 10.0 MB; the limit is 10 MB']);
  });

  it('takes only JPEG and PNG (GIF, WebP and anything else are refused)', () => {
    const gif = Buffer.concat([Buffer.from('GIF89a', 'ascii'), Buffer.from([0x2c, 0x01, 0x2c, 0x01]), Buffer.alloc(32)]);
    const webp = Buffer.concat([Buffer.from('RIFF', 'ascii'), Buffer.alloc(4), Buffer.from('WEBPVP8 ', 'ascii'), Buffer.alloc(32)]);
    expect(checkImage(gif, 'start frame')).toEqual(['start frame is not a JPEG or PNG image']);
    expect(checkImage(webp, 'start frame')).toEqual(['start frame is not a JPEG or PNG image']);
  });
});

describe('resolveAssets', () => {
  it('sends a data URI of the right type to fal, Replicate and Lumenfall, and bare base64 to Kling', async () => {
    await fs.writeFile(path.join(dir, 'end.jpg'), jpeg);
    const s = spec({ startFrame: 'start.png', endFrame: 'end.jpg' });
    const uri = await resolveAssets(s, dir, 'data-uri');
    expect(uri.startFrame).toBe(`data:image/png;base64,${png(640, 360).toString('base64')}`);
    expect(uri.endFrame).toBe(`data:image/jpeg;base64,${jpeg.toString('base64')}`);
    const bare = await resolveAssets(s, dir, 'base64');
    expect(bare.startFrame).toBe(png(640, 360).toString('base64'));
    expect(bare.endFrame).toBe(jpeg.toString('base64'));
  });

  it('checks every image before refusing, and names each one by its role and file', async () => {
    const s = spec({
      startFrame: 'small.png',
      endFrame: 'strip.png',
      elements: [{ name: 'Hero', frontal: 'start.png', references: ['gone.png'] }],
    });
    const err = await resolveAssets(s, dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).details).toEqual([
      'start frame (small.png) is 200×200; each side must be at least 300 px',
      'end frame (strip.png) is 900×300, an aspect ratio of 3.00; it must be between 0.4 (1:2.5) and 2.5 (2.5:1)',
      'element “Hero” reference 1 (gone.png) is missing from the project folder',
    ]);
    expect((err as StudioError).message).toBe(`${(err as StudioError).details!.join('; ')}.`);
  });
});

describe('checkAssets (the pre-flight of every estimate)', () => {
  it('finds the same problems as sending would, in the same words', async () => {
    const s = spec({
      startFrame: 'small.png',
      endFrame: 'strip.png',
      elements: [{ name: 'Hero', frontal: 'start.png', references: ['gone.png'] }],
    });
    const sent = await resolveAssets(s, dir).then(
      () => [],
      (e: unknown) => (e as StudioError).details,
    );
    expect(await checkAssets(s, dir)).toEqual(sent);
    expect(await checkAssets(spec({ startFrame: 'start.png' }), dir)).toEqual([]);
  });

  it('reads a file’s size from disk, not from the part it reads: an 11 MB PNG is refused, its header still found', async () => {
    await fs.writeFile(path.join(dir, 'huge.png'), pngWithPadding(640, 360, 11 * 1024 * 1024));
    expect(await checkAssets(spec({ startFrame: 'huge.png' }), dir)).toEqual(['start frame (huge.png) is 11.0 MB; the limit is 10 MB']);
  });
});
