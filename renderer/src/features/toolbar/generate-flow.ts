// "Generate" from anywhere (toolbar, ⌘↵) goes through here: ask the core what it would send and cost,
// refuse with the reason when something stops it, ask first when it costs money, send directly when free.
import { create } from 'zustand';
import type { MethodOutput } from '../../../../shared/api';
import type { TierId } from '../../../../shared/capabilities';
import { formatUsd } from '../../../../shared/pricing';
import type { StudioServices } from '../../app/studio-context';
import { stopForDrafts } from '../../store/draft-gate';

export type Estimate = MethodOutput<'jobs.estimate'>;

export interface PendingGenerate {
  /** Absent = every shot that needs a take ("Generate all"). */
  shotIds?: string[];
  /** Regenerate at this tier instead of each shot's own. */
  tier?: TierId;
  /** Takes per shot (1–4), each its own request, each priced in the confirmation. */
  variations?: number;
  estimate: Estimate;
}

export const useGenerateFlow = create<{
  pending: PendingGenerate | null;
  /** What "Generate all" would send right now (refreshed by the toolbar a moment after each change). */
  live: Estimate | null;
  /** Bumped when a price is set or reset in Settings: the live estimate is asked again. */
  pricesRev: number;
  setPending: (p: PendingGenerate | null) => void;
  repriced: () => void;
}>()((set) => ({
  pending: null,
  live: null,
  pricesRev: 0,
  setPending: (pending) => set({ pending }),
  repriced: () => set((s) => ({ pricesRev: s.pricesRev + 1 })),
}));

/** "your price, set 2026-12-02" or "fal.ai price list of 2026-03-13; your price, set …": the tables an estimate used. */
export function priceSourcesText(estimate: Pick<Estimate, 'priceSources'>): string {
  return estimate.priceSources.join('; ');
}

/** The core's own sentences ("shot 2 “Storm”: the prompt is empty"), already naming the shot. */
export function describeProblems(problems: Estimate['problems']): string[] {
  return problems.map((p) => p.message);
}

/** "$3.36 would pass the $2.00 budget by $1.36 — raise the budget in Settings", or undefined within budget. */
export function budgetBlock(estimate: Pick<Estimate, 'estimatedUsd' | 'budget'>): string | undefined {
  const b = estimate.budget;
  if (!b || b.overByUsd <= 0) return undefined;
  const spent = b.committedUsd > 0 ? ` (with ${formatUsd(b.committedUsd)} already spent or on its way)` : '';
  return `${formatUsd(estimate.estimatedUsd)} would pass the ${formatUsd(b.budgetUsd)} budget by ${formatUsd(b.overByUsd)}${spent} — raise the budget in Settings`;
}

/** The shots a problem keeps back, each with its problems ("shot 7 “Gulls”: an end frame needs a start frame"). */
export function skippedLines(estimate: Pick<Estimate, 'problems'>): string[] {
  return [...new Set(describeProblems(estimate.problems))];
}

export async function requestGenerate(
  { store, client, commands }: Pick<StudioServices, 'store' | 'client' | 'commands'>,
  shotIds?: string[],
  opts: { tier?: TierId; variations?: number } = {},
): Promise<void> {
  const s = store.getState;
  await commands.flushEdits();
  if (stopForDrafts(store, shotIds)) return;
  let estimate: Estimate;
  try {
    estimate = await client.invoke('jobs.estimate', { ...(shotIds ? { shotIds } : {}), ...opts });
  } catch (err) {
    s().pushToast({
      kind: 'error',
      title: 'Generation did not start',
      message: `${err instanceof Error ? err.message : String(err)} Nothing was sent and nothing was charged; try again.`,
    });
    return;
  }
  if (estimate.requests === 0 && estimate.problems.length > 0) {
    // Every shot that needs a take has a problem: there is nothing valid to send.
    s().pushToast({
      kind: 'error',
      title: 'Generation did not start',
      message: `${describeProblems(estimate.problems).join(' · ')}. Nothing was sent; fix ${estimate.problems.length === 1 ? 'this' : 'these'} in the inspector and generate again.`,
    });
    return;
  }
  if (estimate.requests === 0) {
    await commands.generate(shotIds);
    return;
  }
  const over = budgetBlock(estimate);
  if (over) {
    s().pushToast({ kind: 'error', title: 'Over budget: nothing was sent', message: `${over}.` });
    return;
  }
  // Paid, or regenerating at a chosen tier: the person sees the requests, the skipped shots and the price first.
  if (estimate.estimatedUsd > 0) {
    useGenerateFlow.getState().setPending({ ...(shotIds ? { shotIds } : {}), ...opts, estimate });
    s().openDialog('confirm-generate');
    return;
  }
  // Free (the animatic): sent at once; shots kept back by a problem are listed when it starts.
  await commands.generate(shotIds, { ...opts, expectedUsd: estimate.estimatedUsd });
}
