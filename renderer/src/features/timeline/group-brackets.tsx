// The brackets over the video lane that mark each multi-shot group (shots generated as one request).
import type { Group } from '../../../../shared/schema';
import { groupSpans } from './geometry';
import { GAP_PX } from './video-block';

export function GroupBrackets({ pps, shots, groups }: { pps: number; shots: { id: string; durationSec: number }[]; groups: Group[] }) {
  const spans = groupSpans({ shots, groups });
  return (
    <>
      {spans.map((g) => (
        <div
          key={g.groupId}
          className="tl-bracket"
          role="note"
          aria-label={`Multi-shot group of ${g.count} shots, ${g.seconds} seconds`}
          style={{ left: `${g.startSec * pps}px`, width: `${g.seconds * pps - GAP_PX}px` }}
          title="These shots are generated together as one multi-shot request, so they share one continuous look."
        >
          <span className="tl-bracket__label">
            Multi-shot · {g.count} shots · {g.seconds}s
          </span>
        </div>
      ))}
    </>
  );
}
