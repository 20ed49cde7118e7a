// jobs.json: the generation journal (docs/architecture.md §5). It is the engine's source of truth — project.json's takes
// mirror it, and are repaired from it on open — so it is written before every step that costs money
// (write-ahead) and atomically (a crash leaves the old or the new journal, never a torn one). A journal
// damaged anyway (a cut copy, a bad disk) is kept aside and rebuilt from project.json and the ledger
// (journal-recover.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { GenerationSpec } from '../../../shared/generation';
import { MediaInfoSchema, type ProviderId, type TakeStatus } from '../../../shared/schema';
import { atomicWriteFile } from '../project/atomic-write';
import type { LearnedRates } from './eta';

export const JOURNAL_FILE = 'jobs.json';

const JournalEntrySchema = z.object({
  id: z.string(),
  unitKey: z.string(),
  shotIds: z.array(z.string()),
  takeIds: z.array(z.string()),
  label: z.string(),
  provider: z.string(),
  status: z.string(),
  progress: z.number(),
  queuePosition: z.number().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  error: z.string().optional(),
  spec: z.custom<GenerationSpec>(),
  hash: z.string(),
  idempotencyKey: z.string(),
  providerRef: z.string().optional(),
  estimatedUsd: z.number(),
  actualUsd: z.number().optional(),
  /** When the request was first sent: elapsed time counts from here, across restarts. */
  submittedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** When the provider said the clip was done: from then on it is charged, even if fetching it fails. */
  deliveredAt: z.string().optional(),
  /** The clip of each take once ready, so a crash before project.json is saved loses nothing. */
  media: z.array(z.object({ media: MediaInfoSchema, groupClip: z.object({ path: z.string(), offsetSec: z.number() }).optional() })).optional(),
  /**
   * Estimates of submissions whose outcome was never settled (sent again, or marked failed, without knowing
   * whether the provider made the job): they may have been charged, so they count against the budget.
   */
  unsettledUsd: z.number().optional(),
  /** The job this one was retried from (jobs.retry). */
  retryOf: z.string().optional(),
});

export type JournalEntry = Omit<z.infer<typeof JournalEntrySchema>, 'provider' | 'status'> & { provider: ProviderId; status: TakeStatus };

const LearnedSchema = z.record(z.string(), z.object({ secPerSec: z.number(), samples: z.number() }));

// Version 2 gained only optional fields since it was introduced, so older v2 journals still read.
const JournalSchema = z.object({ version: z.literal(2), jobs: z.array(JournalEntrySchema), learned: LearnedSchema.optional() });

export interface JournalData {
  jobs: JournalEntry[];
  learned: LearnedRates;
}

export type JournalRead =
  | { kind: 'missing' }
  | { kind: 'ok'; data: JournalData }
  /** Unreadable or from another version: kept aside under `keptAs`, never overwritten. */
  | { kind: 'unreadable'; keptAs?: string };

export async function readJournal(projectDir: string, opts: { keepAside?: boolean } = {}): Promise<JournalRead> {
  const file = path.join(projectDir, JOURNAL_FILE);
  const raw = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (raw === undefined) return { kind: 'missing' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = JournalSchema.safeParse(json);
  if (!parsed.success) {
    if (!opts.keepAside) return { kind: 'unreadable' };
    const keptAs = `${file}.unreadable-${Date.now()}`;
    await fs.copyFile(file, keptAs);
    return { kind: 'unreadable', keptAs };
  }
  return { kind: 'ok', data: { jobs: parsed.data.jobs as JournalEntry[], learned: parsed.data.learned ?? {} } };
}

/**
 * Writes the journal atomically, coalescing: while one write is on its way, every change asked for meanwhile
 * is carried by the single next write. Each caller's promise resolves once a write that started after
 * its call has finished, so `await write()` still means "my change is on disk". With 200 jobs changing
 * state at once this is a handful of writes instead of hundreds.
 */
export class JournalWriter {
  private readonly file: string;
  private readonly snapshot: () => JournalData;
  private current: Promise<void> = Promise.resolve();
  private next: Promise<void> | undefined;
  /** Writes actually performed (the bench reports it). */
  writes = 0;

  constructor(opts: { projectDir: string; snapshot: () => JournalData }) {
    this.file = path.join(opts.projectDir, JOURNAL_FILE);
    this.snapshot = opts.snapshot;
  }

  write(): Promise<void> {
    if (this.next) return this.next;
    const next = this.current
      .catch(() => {})
      .then(() => {
        // From here on, a new change needs a new write: this one serializes the state as it is now.
        this.next = undefined;
        const data = this.snapshot();
        this.writes += 1;
        return atomicWriteFile(this.file, JSON.stringify({ version: 2, jobs: data.jobs, learned: data.learned }, null, 1));
      });
    this.next = next;
    this.current = next;
    return next;
  }

  /** Resolves when every write asked for so far has finished (errors included). */
  settled(): Promise<void> {
    return this.current.catch(() => {});
  }
}
