// Generation jobs: what would be sent and its cost, sending it, and a person's decisions about a job.
// Everything is the engine's work; this is the one door to it for the studio, the CLI and the host.
import type { Job } from '../../../shared/api';
import type { Engine, GenerateOptions, Plan } from '../jobs/engine';
import type { Handlers } from './handlers';

export class JobsService {
  constructor(private readonly engine: Engine) {}

  /** What a Generate would send now, its cost and the problems that keep shots back. */
  plan(opts: GenerateOptions = {}): Promise<Plan> {
    return this.engine.plan(opts);
  }

  generate(opts: GenerateOptions = {}): ReturnType<Engine['generate']> {
    return this.engine.generate(opts);
  }

  list(): Job[] {
    return this.engine.list();
  }

  /** Resolves when no job is queued or running. */
  idle(): Promise<void> {
    return this.engine.idle();
  }

  /** What opening had to recover from an unreadable journal, for the person to read. */
  get recovery(): string | undefined {
    return this.engine.recovery;
  }

  /** Ready takes found missing or damaged when the project was opened, one message each. */
  get takeProblems(): readonly string[] {
    return this.engine.takeProblems;
  }

  /** Hears every change of a job; returns the unsubscribe. */
  onJob(listener: (job: Job) => void): () => void {
    this.engine.on('job', listener);
    return () => void this.engine.off('job', listener);
  }

  handlers() {
    return {
      'jobs.generate': ({ shotIds, variations, tier, expectedUsd }) => this.engine.generate({ shotIds, variations, tier, expectedUsd }),
      'jobs.estimate': async ({ shotIds, variations, tier, summary }) => {
        const plan = await this.engine.plan({ shotIds, variations, tier });
        return {
          provider: plan.provider,
          requests: plan.units.length,
          estimatedUsd: plan.estimatedUsd,
          problems: plan.issues.map((i) => ({ ...(i.shotId ? { shotId: i.shotId } : {}), field: i.field, message: `${i.shotLabel}: ${i.message}` })),
          lines: summary ? [] : plan.units.map((u) => ({ key: u.key, label: u.label, durationSec: u.spec.durationSec, tier: u.spec.tier, usd: u.estimatedUsd, priceSource: u.priceSource })),
          priceSources: plan.priceSources,
          draftShots: plan.draftShotIds.length,
          ...(plan.budget ? { budget: plan.budget } : {}),
        };
      },
      'jobs.list': () => this.engine.list(),
      'jobs.cancel': ({ jobId }) => this.engine.cancel(jobId),
      'jobs.resolve': ({ jobId, action, providerJobId }) => this.engine.resolve(jobId, action, providerJobId),
      'jobs.retry': ({ jobId }) => this.engine.retry(jobId),
    } satisfies Partial<Handlers>;
  }
}
