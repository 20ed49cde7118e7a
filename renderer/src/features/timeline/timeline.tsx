import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatDuration } from '../../../../shared/time';
import { useServices, useStudio } from '../../app/studio-context';
import { selectShotIds, selectShotStatus, shotName } from '../../store/selectors';
import { cueShot } from '../player/cue';

const MIN_PPS = 14;
const PAD = 16;

function useFitScale(total: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(entry.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const pps = total > 0 && width > 0 ? Math.max(MIN_PPS, (width - PAD * 2) / total) : MIN_PPS;
  return { ref, pps };
}

function Block({ id, pps }: { id: string; pps: number }) {
  const { store, player } = useServices();
  const { index, title, duration } = useStudio(
    useShallow((s) => {
      const shots = s.doc?.project.shots ?? [];
      const index = shots.findIndex((x) => x.id === id);
      return { index, title: shots[index]?.title ?? '', duration: shots[index]?.durationSec ?? 0 };
    }),
  );
  const status = useStudio(useShallow(selectShotStatus(id)));
  const selected = useStudio((s) => s.selectedShotId === id);
  const name = shotName({ title }, index);
  const progress = status.kind === 'generating' ? status.progress : status.kind === 'ready' ? 1 : 0;
  return (
    <button
      type="button"
      className={`block block--${status.kind}${selected ? ' block--selected' : ''}`}
      style={{ width: `${duration * pps}px` }}
      aria-pressed={selected}
      aria-label={`${index + 1}. ${name}, ${duration} seconds`}
      title={`${name} · ${duration} s`}
      onClick={() => {
        store.getState().selectShot(id);
        cueShot({ store, player }, id);
      }}
    >
      <span className="block__num">{index + 1}</span>
      <span className="block__title">{name}</span>
      <span className="block__dur">{duration}s</span>
      <span className="block__bar" style={{ transform: `scaleX(${progress})` }} aria-hidden="true" />
    </button>
  );
}

function Ruler({ total, pps }: { total: number; pps: number }) {
  const step = pps >= 40 ? 1 : pps >= 20 ? 2 : pps >= 8 ? 5 : 10;
  const ticks: number[] = [];
  for (let t = 0; t <= total; t += step) ticks.push(t);
  return (
    <div className="ruler" aria-hidden="true" style={{ width: `${total * pps}px` }}>
      {ticks.map((t) => (
        <span key={t} className={`ruler__tick${t % (step * 5) === 0 ? ' ruler__tick--major' : ''}`} style={{ left: `${t * pps}px` }}>
          {pps * step >= 44 || t % (step * 5) === 0 ? formatDuration(t) : ''}
        </span>
      ))}
    </div>
  );
}

/** The playhead follows the preview through a ref and rAF: 60 updates a second never touch React state. */
function Playhead({ pps }: { pps: number }) {
  const { player } = useServices();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let raf = 0;
    let last = -1;
    const tick = () => {
      const t = player.video?.currentTime ?? 0;
      if (t !== last && ref.current) {
        last = t;
        ref.current.style.transform = `translateX(${t * pps}px)`;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [player, pps]);
  return <div ref={ref} className="playhead" aria-hidden="true" />;
}

export function Timeline() {
  const ids = useStudio(useShallow(selectShotIds));
  const durations = useStudio(useShallow((s) => (s.doc?.project.shots ?? []).map((x) => x.durationSec)));
  const total = durations.reduce((a, b) => a + b, 0);
  const { ref, pps } = useFitScale(total);
  return (
    <section className="panel timeline" aria-label="Timeline">
      <header className="panel__head">
        <h2 className="panel__title">Timeline</h2>
        <span className="panel__meta">{formatDuration(total)}</span>
      </header>
      <div className="timeline__scroll" ref={ref}>
        {ids.length === 0 ? (
          <p className="empty-note">Shots appear here in order, sized by their duration.</p>
        ) : (
          <div className="timeline__canvas" style={{ width: `${total * pps}px` }}>
            <Ruler total={total} pps={pps} />
            <div className="lane">
              {ids.map((id) => (
                <Block key={id} id={id} pps={pps} />
              ))}
            </div>
            <Playhead pps={pps} />
          </div>
        )}
      </div>
    </section>
  );
}
