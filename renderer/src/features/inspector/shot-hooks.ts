// Narrow reads of one shot for the inspector's controls, the provider's capabilities for it, and the
// core's pre-flight problems (debounced jobs.estimate) shared with every field through context.
import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import type { Shot } from '../../../../shared/schema';
import { useServices, useStudio } from '../../app/studio-context';
import type { StudioState } from '../../store/store';
import { selectShot } from '../../store/selectors';
import { shotCapabilities, type ShotCapabilities } from './shot-capabilities';
import { sortProblems, type FieldKey, type SortedProblems } from './shot-problems';

/** One value of one shot; pass a selector returning a primitive (or use useShallow for arrays). */
export function useShotValue<T>(shotId: string, read: (shot: Shot) => T, fallback: T): T {
  return useStudio((s) => {
    const shot = selectShot(shotId)(s);
    return shot ? read(shot) : fallback;
  });
}

export function useShotCapabilities(shotId: string): ShotCapabilities {
  const provider = useStudio((s) => s.doc?.project.settings.provider ?? 'animatic');
  const tier = useStudio((s) => selectShot(shotId)(s)?.tier ?? s.doc?.project.settings.tier ?? 'standard');
  const grouped = useStudio((s) => s.doc?.project.groups.some((g) => g.shotIds.includes(shotId)) ?? false);
  return useMemo(() => shotCapabilities(provider, tier, grouped), [provider, tier, grouped]);
}

const NO_PROBLEMS: SortedProblems = { byField: {}, other: [] };
export const ProblemsContext = createContext<SortedProblems>(NO_PROBLEMS);

export function useFieldProblems(key: FieldKey): string[] {
  return useContext(ProblemsContext).byField[key] ?? NO_MESSAGES;
}
const NO_MESSAGES: string[] = [];

/** What the estimate depends on: the shot, the settings and the libraries it draws from. */
function inputsOf(s: StudioState, shotId: string): unknown[] {
  const p = s.doc?.project;
  return [selectShot(shotId)(s), p?.settings, p?.voices, p?.elements, p?.groups];
}

/**
 * Asks the core what would stop this shot from generating, a moment after it last changed. Subscribes
 * to the store instead of selecting, so the form does not re-render on unrelated edits.
 */
export function useShotProblems(shotId: string, delayMs = 350): SortedProblems {
  const { store, client } = useServices();
  const [problems, setProblems] = useState<SortedProblems>(NO_PROBLEMS);
  useEffect(() => {
    let alive = true;
    let seq = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = inputsOf(store.getState(), shotId);
    const check = async () => {
      timer = null;
      const mine = ++seq;
      try {
        const result = await client.invoke('jobs.estimate', { shotIds: [shotId] });
        if (alive && mine === seq) setProblems(sortProblems(result.problems, shotId));
      } catch {
        // Offline or refused: keep what was shown; the next change asks again.
      }
    };
    const schedule = (ms: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void check(), ms);
    };
    schedule(0);
    const unsubscribe = store.subscribe((state) => {
      const next = inputsOf(state, shotId);
      if (next.every((v, i) => v === last[i])) return;
      last = next;
      schedule(delayMs);
    });
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
      unsubscribe();
    };
  }, [store, client, shotId, delayMs]);
  return problems;
}
