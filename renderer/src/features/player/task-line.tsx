import { useShallow } from 'zustand/react/shallow';
import type { TaskProgress } from '../../../../shared/api';
import { useStudio } from '../../app/studio-context';
import { ProgressBar } from '../../components/progress-bar';

/** One summary line for what runs in the background: generation (averaged) and stitching. */
function summarize(tasks: TaskProgress[]): { label: string; fraction: number | null } | null {
  const gen = tasks.filter((t) => t.kind === 'generate');
  const stitch = tasks.find((t) => t.kind === 'stitch');
  if (gen.length > 0) {
    const known = gen.filter((t) => t.fraction !== null);
    const average = known.length ? known.reduce((a, t) => a + (t.fraction ?? 0), 0) / gen.length : 0;
    // No progress reported yet (or ever, by the animatic): an indeterminate bar rather than a stuck 0%.
    const fraction = average > 0 ? average : null;
    const label = gen.length === 1 ? gen[0].label : `Generating ${gen.length} shots`;
    return { label: stitch ? `${label} · ${stitch.label}` : label, fraction };
  }
  if (stitch) return { label: `Preview: ${stitch.label}`, fraction: stitch.fraction };
  return null;
}

export function TaskLine() {
  const tasks = useStudio(useShallow((s) => Object.values(s.tasks)));
  const line = summarize(tasks);
  return (
    <div className="taskline" aria-live="polite">
      {line ? (
        <>
          <span className="taskline__label">{line.label}</span>
          {line.fraction !== null ? <span className="taskline__pct">{Math.round(line.fraction * 100)}%</span> : null}
          <ProgressBar fraction={line.fraction} label={line.label} />
        </>
      ) : (
        <span className="taskline__label taskline__label--idle">Idle</span>
      )}
    </div>
  );
}
