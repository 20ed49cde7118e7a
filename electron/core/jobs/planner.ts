// The planner: what a generate would send, what it would cost and what keeps shots back — the one answer the
// toolbar's estimate, the confirmation and Generate all share (Engine.plan). Also the budget: spent and in
// flight, against what the project allows. Sends nothing and changes nothing.
import type { TierId } from '../../../shared/capabilities';
import { StudioError } from '../../../shared/errors';
import { usesVoiceControl, type GenerationSpec } from '../../../shared/generation';
import { isStopped } from '../../../shared/job-status';
import { estimatePrice, formatUsd, priceSourceLabel, roundUsd, type PriceOverrides } from '../../../shared/pricing';
import type { Project, ProviderId } from '../../../shared/schema';
import { validateSpec, type ValidationIssue } from '../../../shared/validate';
import { workUnits, type WorkUnit } from '../../../shared/work-units';
import { checkAssets } from '../providers/assets';
import type { JournalEntry } from './journal';
import { chooseUnits, splitValid, waitingShots, type Skipped } from './plan-units';

export interface GenerateOptions {
  /** Shots to generate; omitted = every shot without a current take. */
  shotIds?: string[];
  provider?: ProviderId;
  tier?: TierId;
  /** Variations per shot (1–4). No provider returns several videos per request, so each is its own job. */
  variations?: number;
  /** What the person confirmed: the batch is refused, nothing sent, if it would now cost more. */
  expectedUsd?: number;
}

export interface Plan {
  provider: ProviderId;
  /** Each request with its estimate and the table the figure came from ("fal.ai price list of 2026-03-13", "your price, set …"). */
  units: (WorkUnit & { estimatedUsd: number; priceSource: string })[];
  /** Shots left out: up to date, already generating, or kept back by a problem (its problems as the reason). */
  skipped: Skipped[];
  /** The problems that keep shots back (nothing of theirs is sent; the rest is). */
  issues: ValidationIssue[];
  /** Shots sent because their only current takes are animatic drafts. */
  draftShotIds: string[];
  /** Shots a problem keeps back (listed in `skipped` with the problems). */
  blockedShotIds: string[];
  estimatedUsd: number;
  /** Every table the estimate used, once each, in the order of the units. */
  priceSources: string[];
  /** Spent and in flight before this plan, and the budget, when the project has one. */
  budget?: { budgetUsd: number; committedUsd: number; overByUsd: number };
}

/**
 * What `generate` would send, what it would cost, and what keeps shots back. A unit with a problem is left
 * out (listed in `skipped` with its problems); the others still go.
 */
export async function planGenerate(opts: { project: Project; projectDir: string; jobs: Iterable<JournalEntry>; options: GenerateOptions; prices?: PriceOverrides }): Promise<Plan> {
  const { project, options } = opts;
  const provider = options.provider ?? project.settings.provider;
  const jobs = [...opts.jobs];
  // Generate all never sends a shot whose earlier request waits for a decision: that could pay for it twice.
  const choice = chooseUnits({ project, units: workUnits(project, provider, options.tier), provider, shotIds: options.shotIds, waiting: waitingShots(jobs) });
  const found = new Map<WorkUnit, ValidationIssue[]>();
  for (const unit of choice.chosen) found.set(unit, await specIssues(unit.spec, unit.where, opts.projectDir));
  const { valid, issues, skipped } = splitValid(choice.chosen, (unit) => found.get(unit) ?? []);
  const variations = Math.max(1, Math.min(4, Math.floor(options.variations ?? 1)));
  const units = valid.flatMap((unit) => {
    const { usd, source } = pricedEstimate(unit.spec, opts.prices);
    return Array.from({ length: variations }, () => ({ ...unit, estimatedUsd: usd, priceSource: source }));
  });
  const estimated = roundUsd(units.reduce((sum, u) => sum + u.estimatedUsd, 0));
  const sent = new Set(valid.flatMap((u) => u.shotIds));
  return {
    provider,
    units,
    skipped: [...choice.skipped, ...skipped],
    issues,
    draftShotIds: choice.draftShotIds.filter((id) => sent.has(id)),
    blockedShotIds: skipped.map((s) => s.shotId),
    estimatedUsd: estimated,
    priceSources: [...new Set(units.map((u) => u.priceSource))],
    budget: budgetFor(project, jobs, estimated),
  };
}

/** A spec's problems: its fields, and reference images that cannot be read. */
export async function specIssues(spec: GenerationSpec, where: { shotId: string; shotLabel: string }, projectDir: string): Promise<ValidationIssue[]> {
  const issues = validateSpec(spec, where);
  // Sizes and headers only: nothing is encoded until a request is sent.
  const problems = await checkAssets(spec, projectDir);
  if (problems.length) issues.push({ ...where, field: 'reference image', message: `${problems.join('; ')}.` });
  return issues;
}

/**
 * Spent (actual where known) plus in flight, against the project's budget. A job that failed or was
 * canceled after the provider delivered its clip (an expired link, a corrupt file) was still charged.
 */
export function budgetFor(project: Project, jobs: Iterable<JournalEntry>, addUsd: number): Plan['budget'] {
  const budgetUsd = project.settings.budgetUsd;
  if (budgetUsd === undefined) return undefined;
  const counts = (j: JournalEntry) => !isStopped(j.status) || j.deliveredAt !== undefined || j.actualUsd !== undefined;
  // A submission whose outcome is unknown stays counted until settled, whatever the job became since.
  const all = [...jobs];
  const committed = roundUsd(all.filter(counts).reduce((sum, j) => sum + (j.actualUsd ?? j.estimatedUsd), 0) + all.reduce((sum, j) => sum + (j.unsettledUsd ?? 0), 0));
  return { budgetUsd, committedUsd: committed, overByUsd: roundUsd(Math.max(0, committed + addUsd - budgetUsd)) };
}

export function refuseOverBudget(project: Project, jobs: Iterable<JournalEntry>, addUsd: number): void {
  const b = budgetFor(project, jobs, addUsd);
  if (!b || b.overByUsd <= 0) return;
  throw new StudioError(
    'INVALID_INPUT',
    `Over budget: this would send ${formatUsd(addUsd)} of work, taking the project to ${formatUsd(b.committedUsd + addUsd)} ` +
      `of its ${formatUsd(b.budgetUsd)} budget — ${formatUsd(b.overByUsd)} too much. Nothing was sent. Raise the budget or generate fewer shots.`,
  );
}

/** A spec's estimate at the prices that apply (the person's own where set: shared/pricing.ts effectiveRate), and which table it came from. */
export function pricedEstimate(spec: GenerationSpec, prices?: PriceOverrides): { usd: number; source: string } {
  try {
    const { usd, source } = estimatePrice({ provider: spec.provider, tier: spec.tier, durationSec: spec.durationSec, audio: spec.audio, voiceControl: usesVoiceControl(spec) }, prices);
    return { usd, source: priceSourceLabel(source) };
  } catch {
    // A tier the provider does not have: validation keeps the unit back with that problem.
    return { usd: 0, source: 'no price (the provider has no such tier)' };
  }
}

export function safeEstimate(spec: GenerationSpec, prices?: PriceOverrides): number {
  return pricedEstimate(spec, prices).usd;
}
