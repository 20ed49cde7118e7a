// What the centre panel's header shows while the Board is open: the count and planned length, and a hint.
import { formatDuration } from '../../../../shared/time';
import { useStudio } from '../../app/studio-context';
import { selectShotDurations } from '../../store/selectors';

/** The header's count and planned length while the board shows. */
export function BoardMeta() {
  const durations = useStudio(selectShotDurations);
  if (durations.length === 0) return null;
  const total = durations.reduce((a, b) => a + b, 0);
  return (
    <span className="panel__meta">
      {durations.length} {durations.length === 1 ? 'shot' : 'shots'} · {formatDuration(total)}
    </span>
  );
}

/** The header's reminder of what the cards do. */
export function BoardHint() {
  const count = useStudio((s) => s.doc?.project.shots.length ?? 0);
  if (count === 0) return null;
  return <span className="player__note board__hint">Drag to reorder · double-click plays from that shot</span>;
}
