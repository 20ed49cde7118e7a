// ledger.jsonl: an append-only record of money. One line just before a job's request is sent (the
// estimate from the pricing table: written ahead, so a submission cut off by a crash is still on it) and
// one when the provider reports what it actually charged — or 0, when the provider turned the request
// away before a job existed. The engine writes each line once per job and submission (idempotency key),
// so a job resumed after a crash is never counted twice, and "submit again" is counted as the second
// submission it is.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { usesVoiceControl, type GenerationSpec } from '../../../shared/generation';
import type { ProviderId } from '../../../shared/schema';
import type { ProviderError } from '../providers/provider-error';

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

/**
 * Appends one line. A crash mid-append can leave a torn last line without its newline; the next entry
 * starts on a line of its own, so it is never glued onto the torn one (and lost with it).
 */
export async function appendLedger(projectDir: string, entry: LedgerEntry): Promise<void> {
  const handle = await fs.open(path.join(projectDir, LEDGER_FILE), 'a+');
  try {
    const { size } = await handle.stat();
    let lead = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) lead = '\n';
    }
    await handle.appendFile(`${lead}${JSON.stringify(entry)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface ParsedLedger {
  entries: LedgerEntry[];
  /** Lines that are not whole entries (1-based line numbers): a write cut off by a crash. Skipped. */
  tornLines: number[];
}

/** The entries in ledger.jsonl text; a torn line is skipped and reported, the rest still counts. */
export function parseLedger(text: string): ParsedLedger {
  const entries: LedgerEntry[] = [];
  const tornLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const entry = JSON.parse(line) as LedgerEntry;
      if (typeof entry !== 'object' || entry === null || typeof entry.jobId !== 'string') throw new Error('not an entry');
      entries.push(entry);
    } catch {
      tornLines.push(i + 1);
    }
  });
  return { entries, tornLines };
}

/** One sentence about torn lines, for the person (what was skipped, that the rest counts). */
export function tornLinesNotice(projectDir: string, tornLines: number[]): string {
  const which = tornLines.length === 1 ? `line ${tornLines[0]} is` : `lines ${tornLines.join(', ')} are`;
  return `${path.join(projectDir, LEDGER_FILE)}: ${which} incomplete (a write cut off by a crash) and skipped; every other entry still counts. Nothing was removed from the file.`;
}

export async function readLedger(projectDir: string, report: (notice: string) => void = (n) => console.warn(`! ${n}`)): Promise<LedgerEntry[]> {
  const text = await fs.readFile(path.join(projectDir, LEDGER_FILE), 'utf8').catch(() => '');
  const { entries, tornLines } = parseLedger(text);
  if (tornLines.length) report(tornLinesNotice(projectDir, tornLines));
  return entries;
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

/** One estimate and one actual per submission (a job's idempotency key changes only with "submit again"). */
function ledgerKey(e: LedgerEntry): string {
  return `${e.kind}:${e.jobId}:${e.idempotencyKey ?? ''}`;
}

/** Appends to a project's ledger once per (kind, job, submission): a job resumed after a crash is not counted twice. */
export class LedgerBook {
  private keys: Promise<Set<string>> | undefined;
  constructor(private readonly projectDir: string) {}

  async once(entry: LedgerEntry): Promise<void> {
    // Read once, however many jobs ask at the same moment (a second read could drop keys added meanwhile).
    this.keys ??= readLedger(this.projectDir).then((lines) => new Set(lines.map(ledgerKey)));
    const keys = await this.keys;
    const key = ledgerKey(entry);
    if (keys.has(key)) return;
    keys.add(key);
    await appendLedger(this.projectDir, entry);
  }
}

/** What the ledger needs of a job. */
interface LedgerJob {
  id: string;
  provider: ProviderId;
  spec: GenerationSpec;
  estimatedUsd: number;
  shotIds: string[];
  idempotencyKey: string;
}

/** Errors at submit that mean the provider turned the request away before a job existed: nothing to pay. */
export const REFUSALS: ProviderError['kind'][] = ['auth', 'balance', 'validation', 'policy', 'not-found'];

/** The pricing table's estimate for one submission of a job. */
export function estimateLine(job: LedgerJob): LedgerEntry {
  return {
    at: new Date().toISOString(),
    kind: 'estimate',
    jobId: job.id,
    provider: job.provider,
    tier: job.spec.tier,
    seconds: job.spec.durationSec,
    audio: job.spec.audio,
    voiceControl: usesVoiceControl(job.spec),
    usd: job.estimatedUsd,
    shotIds: job.shotIds,
    idempotencyKey: job.idempotencyKey,
  };
}

/** A submission that created no job: its estimate is balanced by an actual cost of zero. */
export function refusedLine(job: LedgerJob, kind: ProviderError['kind']): LedgerEntry {
  return {
    at: new Date().toISOString(),
    kind: 'actual',
    jobId: job.id,
    provider: job.provider,
    usd: 0,
    idempotencyKey: job.idempotencyKey,
    note: REFUSALS.includes(kind) ? `refused by the provider (${kind}): nothing was charged` : 'never accepted by the provider (asked until giving up): nothing was charged',
  };
}
