// The command line as a script sees it: exit codes, usage errors, and the --json output of jobs, providers and render.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runCli } from './engine/helpers';
import { tempDir } from './helpers';

let base: string;
let config: string;
const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { STORYREEL_CONFIG_DIR: config, ...env });

beforeAll(async () => {
  base = await tempDir('sr-cli-commands-');
  config = path.join(base, 'config');
});

afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('storyreel exit codes and usage', () => {
  it('alone prints the help, with the exit codes, and exits 0', async () => {
    const res = await run([]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Usage:');
    expect(res.stdout).toContain('storyreel render <dir>');
    expect(res.stdout).toMatch(/Exit codes:[\s\S]*3\s+waiting for a decision/);
  });

  it('new --crossfade 3 is refused with exit 2 and new’s usage, and no project is written', async () => {
    const dir = path.join(base, 'refused.storyreel');
    const res = await run(['new', dir, '--crossfade', '3']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--crossfade is not an option of storyreel new');
    expect(res.stderr).toContain('storyreel new <dir> [--shots shots.csv]');
    expect(existsSync(dir)).toBe(false);
  });

  it('a folder that is not a project is an error (jobs, render, serve), not an empty list', async () => {
    const missing = path.join(base, 'nowhere');
    for (const cmd of ['jobs', 'render', 'serve']) {
      const res = await run([cmd, missing]);
      expect(res.code, cmd).toBe(1);
      expect(res.stderr, cmd).toContain(`${missing} is not a Storyreel project folder (no project.json)`);
      expect(res.stdout, cmd).toBe('');
    }
    expect(existsSync(missing)).toBe(false);
  });
});

describe('providers', () => {
  it('shows a proxy base URL without the user:password or query it may carry', async () => {
    const res = await run(['providers'], { FAL_KEY: 'id-5678:secret-abcd1234', STORYREEL_FAL_URL: 'https://user:hunter2@proxy.example/fal?token=t0k' });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('configured ····1234 → https://proxy.example/fal');
    expect(res.stdout).not.toMatch(/secret|id-5678|hunter2|t0k/);
  });
});

describe('--json', () => {
  it('providers: each provider’s status and capabilities, the key only as ····1234 and the URL without credentials', async () => {
    const res = await run(['providers', '--json'], { FAL_KEY: 'id-5678:secret-abcd1234', STORYREEL_FAL_URL: 'https://user:hunter2@proxy.example/fal?token=t0k' });
    expect(res.code).toBe(0);
    const { providers } = JSON.parse(res.stdout) as { providers: { id: string; status: string; key: string | null; baseUrl: string | null; capabilities: { maxDurationSec: number } }[] };
    expect(providers.map((p) => p.id)).toEqual(['animatic', 'fal', 'replicate', 'lumenfall', 'kling']);
    const fal = providers.find((p) => p.id === 'fal')!;
    expect(fal).toMatchObject({ status: 'configured', key: '····1234', baseUrl: 'https://proxy.example/fal' });
    expect(fal.capabilities.maxDurationSec).toBe(15);
    expect(providers.find((p) => p.id === 'animatic')!.status).toBe('built-in');
    expect(res.stdout).not.toMatch(/secret|id-5678|hunter2|t0k/);
  });

  it('render prints one summary on stdout (progress on stderr), and jobs lists the same jobs', async () => {
    const dir = path.join(base, 'json.storyreel');
    await makeProject({ dir, shots: [{ title: 'Harbour', prompt: 'boats at dawn', durationSec: 3 }, { title: 'Keeper', prompt: 'the lamp', durationSec: 3 }] });
    const res = await run(['render', dir, '--json', '--out', path.join(base, 'cut.mp4')]);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({ exitCode: 0, provider: 'animatic', estimatedUsd: 0, problems: [], skippedShots: [], waiting: [] });
    expect(summary.jobs.map((j: { status: string }) => j.status)).toEqual(['ready', 'ready']);
    expect(summary.cut.out).toBe(path.join(base, 'cut.mp4'));
    expect(Math.abs(summary.cut.durationSec - 6)).toBeLessThan(0.1);
    expect(res.stderr).toContain('Rendering json.storyreel: 2 shots');

    const listed = await run(['jobs', dir, '--json']);
    expect(listed.code).toBe(0);
    const { jobs } = JSON.parse(listed.stdout) as { jobs: { id: string; status: string }[] };
    expect(jobs.map((j) => j.id).sort()).toEqual(summary.jobs.map((j: { id: string }) => j.id).sort());
  });

  it('render exits 3 when a request waits for a decision, and the summary says how to settle it', async () => {
    const dir = path.join(base, 'waiting.storyreel');
    await makeProject({ dir, shots: [{ title: 'Harbour', prompt: 'boats at dawn', durationSec: 5 }], provider: 'fal' });
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    const now = new Date().toISOString();
    const spec = { provider: 'fal', tier: 'standard', aspectRatio: '16:9', durationSec: 5, audio: false, cfgScale: 0.5, negativePrompt: '', prompt: doc.shots[0].prompt, voiceIds: [], elements: [] };
    // A fal request caught mid-send by a crash: fal cannot be asked whether it arrived, so it needs a decision.
    const entry = { id: 'job_1', unitKey: '', shotIds: [doc.shots[0].id], takeIds: ['take_1'], label: 'shot 1', provider: 'fal', status: 'submitting', progress: 0, createdAt: now, updatedAt: now, spec, hash: 'h', idempotencyKey: 'old-1', estimatedUsd: 0.42, submittedAt: now };
    await fs.writeFile(path.join(dir, 'jobs.json'), JSON.stringify({ version: 2, jobs: [entry] }));
    // fal configured at a closed port, the shot drafted with the animatic: nothing goes out, and the caught job is
    // never re-sent on its own.
    const res = await run(['render', dir, '--provider', 'animatic', '--json'], { FAL_KEY: 'k:s', STORYREEL_FAL_URL: 'http://127.0.0.1:9' });
    expect(res.code, res.stderr).toBe(3);
    const summary = JSON.parse(res.stdout);
    expect(summary.exitCode).toBe(3);
    expect(summary.waiting).toEqual([{ id: 'job_1', label: expect.any(String), resolve: `storyreel resolve ${dir} job_1 submit-again|mark-failed|attach <id>` }]);
    expect(res.stderr).toContain('needs your decision');
  });
});
