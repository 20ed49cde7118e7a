// A failed upload of a reference image (before any prediction exists) is retried like any request that
// created nothing — it must not end as needs-attention "may have reached Replicate".
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { envConfig } from '../../../electron/core/providers/registry';
import { startReplicateMock } from '../../mock-providers/replicate';
import { tempDir } from '../helpers';
import { makeProject, providerEnv } from './helpers';

function noisePng(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = randomBytes((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) raw[y * (w * 3 + 1)] = 0;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

it.each(['http-503', 'drop'] as const)('an upload %s is retried, not left needing attention', async (kind) => {
  const mock = await startReplicateMock();
  mock.state.timing = { queueMs: 30, runMs: 60 };
  const dir = path.join(await tempDir('sr-upload-'), 'p.storyreel');
  await makeProject({ dir, shots: [{ title: 'Big', prompt: 'noise', durationSec: 3 }], provider: 'replicate' });
  await fs.mkdir(path.join(dir, 'media', 'refs'), { recursive: true });
  await fs.writeFile(path.join(dir, 'media', 'refs', 'big.png'), noisePng(560, 900));
  const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
  doc.shots[0].startFrame = 'media/refs/big.png';
  await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(doc));
  mock.state.faults = [{ stage: 'upload', kind }];
  const studio = await Studio.open(dir, { host: 'cli', resolveConfig: envConfig(providerEnv('replicate', mock.url)), engineTiming: { scale: 0.02 } });
  try {
    await studio.engine.generate({});
    await studio.engine.idle();
    const job = studio.engine.list()[0];
    expect(job.status, job.error).toBe('ready');
    expect(mock.state.log.filter((r) => r.stage === 'upload')).toHaveLength(2);
    expect(mock.state.submissions()).toHaveLength(1);
  } finally {
    await studio.close();
    await mock.close();
  }
});
