// ledger.jsonl after a crash mid-append: the torn last line has no newline. The next entry must still be
// read back (it starts on a line of its own), and the torn line is skipped and reported, not fatal.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_FILE, appendLedger, readLedger, type LedgerEntry } from '../../../electron/core/jobs/ledger';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-fault-ledger-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const estimate = (jobId: string, usd: number): LedgerEntry => ({
  at: '2025-01-01T00:00:00.000Z',
  kind: 'estimate',
  jobId,
  provider: 'kling',
  tier: 'pro',
  seconds: 5,
  audio: false,
  voiceControl: false,
  usd,
  shotIds: ['shot_1'],
  idempotencyKey: `${jobId}#1`,
});

describe('a torn last line in ledger.jsonl', () => {
  it('does not swallow the next entry, and is skipped and reported when read', async () => {
    await appendLedger(dir, estimate('job_a', 0.7));
    // A crash cut the second append short: half a line, no newline.
    const whole = `${JSON.stringify(estimate('job_b', 1.4))}\n`;
    await fs.appendFile(path.join(dir, LEDGER_FILE), whole.slice(0, 40));
    await appendLedger(dir, estimate('job_c', 2.1));

    const notices: string[] = [];
    const entries = await readLedger(dir, (n) => notices.push(n));
    expect(entries.map((e) => e.jobId)).toEqual(['job_a', 'job_c']);
    expect(entries.filter((e) => e.kind === 'estimate').reduce((sum, e) => sum + (e.usd ?? 0), 0)).toBeCloseTo(2.8);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(path.join(dir, LEDGER_FILE));
    expect(notices[0]).toMatch(/line 2 is incomplete .* skipped; every other entry still counts/);

    // The file still holds the torn fragment (nothing is deleted) and every whole entry on its own line.
    const lines = (await fs.readFile(path.join(dir, LEDGER_FILE), 'utf8')).split('\n');
    expect(lines[1]).toBe(whole.slice(0, 40));
    expect(JSON.parse(lines[2]).jobId).toBe('job_c');
  });

  it('a whole ledger reads back with nothing to report', async () => {
    await appendLedger(dir, estimate('job_a', 0.7));
    await appendLedger(dir, estimate('job_b', 1.4));
    const notices: string[] = [];
    expect((await readLedger(dir, (n) => notices.push(n))).map((e) => e.jobId)).toEqual(['job_a', 'job_b']);
    expect(notices).toEqual([]);
    expect(await fs.readFile(path.join(dir, LEDGER_FILE), 'utf8')).not.toMatch(/\n\n/);
  });
});
