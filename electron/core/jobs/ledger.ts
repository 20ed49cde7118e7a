// ledger.jsonl: an append-only record of money. One line just before a job's request is sent (the
// estimate from the pricing table: written ahead, so a submission cut off by a crash is still on it) and
// one when the provider reports what it actually charged — or 0, when the provider turned the request
// away before a job existed. The engine writes each line once per job and submission (idempotency key),
// so a job resumed after a crash is never counted twice, and "submit again" is counted as the second
// submission it is.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ProviderId } from '../../../shared/schema';

export const LEDGER_FILE = 'ledger.jsonl';

export type LedgerEntry =
  | {
      at: string;
      kind: 'estimate';
      jobId: string;
      provider: ProviderId;
      tier: string;
      seconds: number;
      audio: boolean;
      voiceControl: boolean;
      usd: number;
      shotIds: string[];
      /** The submission this estimate belongs to ("submit again" is a second submission of the same job). */
      idempotencyKey?: string;
    }
  | {
      at: string;
      kind: 'actual';
      jobId: string;
      provider: ProviderId;
      usd?: number;
      providerCost?: string;
      providerJobId?: string;
      /** The submission this cost belongs to. */
      idempotencyKey?: string;
      /** Why the cost is what it is, where that is not the provider's own figure (a refused request costs 0). */
      note?: string;
    };

export async function appendLedger(projectDir: string, entry: LedgerEntry): Promise<void> {
  const handle = await fs.open(path.join(projectDir, LEDGER_FILE), 'a');
  try {
    await handle.appendFile(`${JSON.stringify(entry)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function readLedger(projectDir: string): Promise<LedgerEntry[]> {
  const text = await fs.readFile(path.join(projectDir, LEDGER_FILE), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LedgerEntry];
      } catch {
        return []; // a torn last line after a crash is skipped, the rest still counts
      }
    });
}

/**
 * Jobs journaled without the cost the ledger has for their current submission (an older version did not
 * keep a refusal's 0 on the job) get it, so their takes show what was charged rather than the estimate.
 */
export function applyLedgerCosts(jobs: Iterable<{ id: string; idempotencyKey: string; actualUsd?: number }>, entries: LedgerEntry[]): void {
  const actual = new Map<string, number>();
  for (const e of entries) if (e.kind === 'actual' && e.usd !== undefined) actual.set(`${e.jobId}:${e.idempotencyKey ?? ''}`, e.usd);
  for (const job of jobs) {
    if (job.actualUsd !== undefined) continue;
    const usd = actual.get(`${job.id}:${job.idempotencyKey}`);
    if (usd !== undefined) job.actualUsd = usd;
  }
}
