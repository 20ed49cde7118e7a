// /media/ serves only complete files. While project.json is saved edit after edit, and while the preview
// is stitched again, every read a page makes is one whole version of the file: it parses (project.json)
// or is byte-for-byte the old or the new cut (preview), with a Content-Length that matches its body.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../../electron/core/api';
import { startHost, type RunningHost } from '../../../electron/core/host/server';
import { createProjectFolder, newProject, newShot } from '../../../electron/core/project/project-folder';
import { tempDir } from '../helpers';

let base: string;
let dir: string;
let studio: Studio;
let host: RunningHost;

beforeAll(async () => {
  base = await tempDir('sr-media-fault-');
  dir = path.join(base, 'p.storyreel');
  const shots = [newShot({ title: 'One', prompt: 'storm', durationSec: 3 }), newShot({ title: 'Two', prompt: 'calm', durationSec: 3 })];
  await createProjectFolder(dir, newProject('Torn reads', shots));
  await fs.mkdir(path.join(base, 'ui'));
  await fs.writeFile(path.join(base, 'ui', 'index.html'), '<!doctype html><title>Storyreel</title>');
  studio = await Studio.open(dir, { host: 'browser' });
  host = await startHost({ studio, rendererDir: path.join(base, 'ui') });
}, 60_000);
afterAll(async () => {
  await host?.close();
  await studio?.close();
  await fs.rm(base, { recursive: true, force: true });
});

interface Read {
  status: number;
  length: number | undefined;
  body: Buffer;
  error?: string;
}

function read(rel: string): Promise<Read> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: host.port, path: `/media/${rel}?token=${host.token}`, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const done = (error?: string) =>
        resolve({ status: res.statusCode ?? 0, length: res.headers['content-length'] ? Number(res.headers['content-length']) : undefined, body: Buffer.concat(chunks), error });
      res.on('end', () => done());
      res.on('aborted', () => done('aborted'));
      res.on('error', (e) => done(e.message));
    });
    req.on('error', (e) => resolve({ status: 0, length: undefined, body: Buffer.alloc(0), error: e.message }));
  });
}

/** Reads `rel` over and over, `lanes` at a time, until `busy` settles; returns every read. */
async function hammer(rel: string, busy: Promise<unknown>, lanes = 6): Promise<Read[]> {
  let settled = false;
  const finished = busy.finally(() => (settled = true));
  const reads: Read[] = [];
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (!settled) reads.push(await read(rel));
    }),
  );
  await finished;
  return reads;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('/media/ under concurrent saves', () => {
  it('every read of project.json during 150 saves is a whole document', async () => {
    const shotId = studio.session.current.shots[0].id;
    const edits = (async () => {
      for (let i = 0; i < 150; i++) {
        // Lengths that grow and shrink, so a read mixing two saves would not parse or not match its length.
        await studio.call('shots.update', { id: shotId, patch: { prompt: `storm ${'x'.repeat((i * 37) % 900)}` } });
        await studio.session.flush();
      }
    })();
    const reads = await hammer('project.json', edits);
    expect(reads.length).toBeGreaterThan(150);
    const bad = reads.filter((r) => {
      if (r.error || r.status !== 200 || r.length !== r.body.length) return true;
      try {
        JSON.parse(r.body.toString('utf8'));
        return false;
      } catch {
        return true;
      }
    });
    expect(bad.map((r) => ({ status: r.status, length: r.length, got: r.body.length, error: r.error }))).toEqual([]);
  }, 120_000);

  it('every read of the preview while it is stitched again and again is one whole cut', async () => {
    await studio.call('media.stitch');
    const file = path.join(dir, 'renders', 'preview.mp4');
    const versions = new Set([sha(await fs.readFile(file))]);
    const [a, b] = studio.session.current.shots;
    // Six re-stitches, alternating the order (a new cut each time); every finished cut is recorded.
    const restitches = (async () => {
      for (let i = 0; i < 6; i++) {
        await studio.call('shots.move', { id: (i % 2 ? a : b).id, toIndex: 0 });
        await studio.call('media.stitch');
        versions.add(sha(await fs.readFile(file)));
      }
    })();
    const reads = await hammer('renders/preview.mp4', restitches);
    expect(versions.size).toBeGreaterThanOrEqual(2);
    const bad = reads.filter((r) => r.error || r.status !== 200 || r.length !== r.body.length || !versions.has(sha(r.body)));
    expect(bad.map((r) => ({ status: r.status, length: r.length, got: r.body.length, error: r.error }))).toEqual([]);
    expect(reads.length).toBeGreaterThan(6);
  }, 180_000);
});
