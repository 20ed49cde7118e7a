// The takes of one shot: a grid of cards (poster, number, provider, cost, status, stale / in-cut marks),
// the review of the take in focus (its clip, stars, circle/reject, notes at a timecode), and Compare.
import { useMemo, useRef, useState } from 'react';
import type { Job } from '../../../../shared/api';
import { isInFlight } from '../../../../shared/job-status';
import type { Project, Shot, Take } from '../../../../shared/schema';
import { shotStarts } from '../../../../shared/time';
import { useServices, useStudio } from '../../app/studio-context';
import { MOD_KEY } from '../../components/platform';
import { PROVIDER_LABELS } from '../../domain/providers';
import { costText } from '../../domain/cost-text';
import { takeFitTest } from '../../domain/take-currency';
import { Icon } from '../../components/icon';
import { CompareDialog } from './compare-dialog';
import { formatTimecode, noteTime } from './review-format';
import { usePosters } from './use-posters';
import './takes.css';
import { STATUS_TEXT } from '../../domain/status-text';
import { queuePlace } from '../../../../shared/queue-place';


export interface TakeView {
  take: Take;
  n: number;
  current: boolean;
  /** Made with the shot's settings but shorter than the shot now (held on its last frame). */
  short: boolean;
  inCut: boolean;
  job?: Job;
}

function statusText(v: TakeView): string {
  const status = v.job?.status ?? v.take.status;
  if (status === 'running' && v.job && v.job.progress > 0) return `Generating ${Math.round(v.job.progress * 100)}%`;
  if (status === 'queued' && v.job?.queuePosition !== undefined) return `Queued · ${queuePlace(v.job.queuePosition)}`;
  return STATUS_TEXT[status];
}

export function TakesList({ shotId }: { shotId: string }) {
  const services = useServices();
  const project = useStudio((s) => s.doc?.project);
  const jobs = useStudio((s) => s.jobs);
  const shot = project?.shots.find((x) => x.id === shotId);
  const views = useMemo<TakeView[]>(() => {
    if (!project || !shot) return [];
    const fitOf = takeFitTest(project, shot);
    return shot.takes
      .map((take, i) => ({ take, n: i + 1, current: fitOf(take) === 'current', short: fitOf(take) === 'short', inCut: shot.selectedTakeId === take.id, job: jobs.get(take.jobId) }))
      .reverse();
  }, [project, shot, jobs]);
  const readyIds = views.filter((v) => v.take.status === 'ready').map((v) => v.take.id);
  const posters = usePosters(readyIds);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [comparing, setComparing] = useState(false);

  if (!project || !shot) return null;
  if (views.length === 0) {
    return (
      <section className="takes" aria-label="Takes">
        <h3 className="takes__title">Takes</h3>
        <p className="takes__empty">
          No takes yet — Generate this shot (<kbd className="kbd">{MOD_KEY}↵</kbd>) or drop a clip on it.
        </p>
      </section>
    );
  }
  const focused = views.find((v) => v.take.id === focusId) ?? views.find((v) => v.inCut) ?? views[0];
  const pickedViews = picked.map((id) => views.find((v) => v.take.id === id)).filter((v): v is TakeView => Boolean(v && v.take.status === 'ready' && v.take.media));
  const togglePick = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));

  return (
    <section className="takes" aria-label="Takes">
      <div className="takes__head">
        <h3 className="takes__title">
          Takes <span className="takes__count">{views.length}</span>
        </h3>
        <button
          type="button"
          className="btn btn--tiny"
          disabled={pickedViews.length !== 2}
          title={pickedViews.length === 2 ? `Play take ${pickedViews[0].n} and take ${pickedViews[1].n} side by side` : 'Tick two ready takes to compare them side by side'}
          onClick={() => setComparing(true)}
        >
          <Icon name="compare" size={13} />
          Compare{pickedViews.length === 2 ? ` ${pickedViews[0].n} & ${pickedViews[1].n}` : ''}
        </button>
      </div>
      <ul className="takes__grid" aria-label={`Takes of ${shot.title || 'this shot'}`}>
        {views.map((v) => (
          <TakeCard
            key={v.take.id}
            view={v}
            poster={posters.get(v.take.id) ?? undefined}
            focused={v === focused}
            picked={picked.includes(v.take.id)}
            onFocus={() => setFocusId(v.take.id)}
            onPick={() => togglePick(v.take.id)}
          />
        ))}
      </ul>
      <TakeReview key={focused.take.id} view={focused} shot={shot} project={project} poster={posters.get(focused.take.id) ?? undefined} />
      {comparing && pickedViews.length === 2 ? (
        <CompareDialog
          a={pickedViews[0]}
          b={pickedViews[1]}
          onClose={() => setComparing(false)}
          onUse={(takeId) => void services.commands.updateShot(shot.id, { selectedTakeId: takeId })}
          mediaUrl={services.client.mediaUrl.bind(services.client)}
        />
      ) : null}
    </section>
  );
}

function TakeCard({
  view,
  poster,
  focused,
  picked,
  onFocus,
  onPick,
}: {
  view: TakeView;
  poster?: string;
  focused: boolean;
  picked: boolean;
  onFocus: () => void;
  onPick: () => void;
}) {
  const { client } = useServices();
  const { take, n } = view;
  const status = view.job?.status ?? take.status;
  const flying = isInFlight(status);
  const rejected = take.review.flag === 'reject';
  const cost = costText(take);
  const cls = ['take', focused && 'take--focused', view.inCut && 'take--cut', rejected && 'take--rejected', `take--${status}`].filter(Boolean).join(' ');
  return (
    <li className={cls} aria-label={`Take ${n}`}>
      <button type="button" className="take__face" onClick={onFocus} aria-pressed={focused} aria-label={`Review take ${n}`} title={take.error ?? `Review take ${n}`}>
        <span className="take__poster">
          {poster ? <img src={client.mediaUrl(poster, take.media?.sha256)} alt="" loading="lazy" /> : <span className="take__poster-n">{n}</span>}
          {flying ? <span className="take__busy" aria-hidden="true" /> : null}
          <span className="take__marks">
            {view.inCut ? <span className="tag tag--accent">In cut</span> : null}
            {view.short ? (
              <span className="tag tag--warn" title="Made for this shot at a shorter length: the cut holds its last frame. Generate a longer take.">
                Too short
              </span>
            ) : !view.current ? (
              <span className="tag tag--warn" title="Made with different settings than the shot has now">
                Stale
              </span>
            ) : null}
          </span>
          {take.review.flag === 'circle' ? (
            <span className="take__flag take__flag--circle" title="Circled: a keeper">
              <Icon name="circle" size={12} />
            </span>
          ) : rejected ? (
            <span className="take__flag take__flag--reject" title="Rejected">
              <Icon name="ban" size={12} />
            </span>
          ) : null}
        </span>
        <span className="take__line">
          <span className="take__n">Take {n}</span>
          <span className="take__cost" title={cost.title}>
            {cost.text}
          </span>
        </span>
        <span className="take__line take__line--sub">
          <span>
            {PROVIDER_LABELS[take.provider].replace(' (local)', '')} · {take.tier}
          </span>
          {take.review.rating > 0 ? (
            <span className="take__stars" aria-label={`${take.review.rating} of 5 stars`}>
              {'★'.repeat(take.review.rating)}
            </span>
          ) : null}
        </span>
        <span className={`take__status take__status--${status}`}>{statusText(view)}</span>
      </button>
      {status === 'ready' && take.media ? (
        <label className="take__pick" title="Tick two takes, then Compare">
          <input type="checkbox" checked={picked} onChange={onPick} aria-label={`Compare take ${n}`} />
        </label>
      ) : null}
    </li>
  );
}

function TakeReview({ view, shot, project, poster }: { view: TakeView; shot: Shot; project: Project; poster?: string }) {
  const { client, commands, player } = useServices();
  const { take, n } = view;
  const videoRef = useRef<HTMLVideoElement>(null);
  const [note, setNote] = useState('');
  const review = (input: { rating?: number; flag?: 'none' | 'circle' | 'reject'; addNote?: { atSec?: number; text: string }; removeNote?: number }) =>
    commands.mutate('takes.review', { shotId: shot.id, takeId: take.id, ...input }, `Could not save the review of take ${n}`);
  const ready = take.status === 'ready' && take.media;

  const addNote = async () => {
    const text = note.trim();
    if (!text) return;
    const index = project.shots.findIndex((x) => x.id === shot.id);
    const atSec = noteTime({
      takeTime: videoRef.current?.currentTime,
      cutTime: player.video?.currentTime,
      shotStart: shotStarts(project.shots.map((x) => x.durationSec))[index],
      shotDuration: shot.durationSec,
    });
    const result = await review({ addNote: { atSec, text } });
    if (result) setNote('');
  };

  return (
    <div className={`review${take.review.flag === 'reject' ? ' review--rejected' : ''}`} role="group" aria-label={`Review of take ${n}`}>
      <div className="review__head">
        <span className="review__name">Take {n}</span>
        <span className="review__facts">
          {PROVIDER_LABELS[take.provider].replace(' (local)', '')} · {take.tier}
          {take.media ? ` · ${take.media.durationSec.toFixed(1)} s` : ''}
        </span>
        <span className="panel__grow" />
        {view.inCut ? (
          <span className="tag tag--accent" title="The cut uses this take">
            In cut
          </span>
        ) : (
          <button
            type="button"
            className="btn btn--tiny btn--secondary"
            disabled={!ready}
            title={ready ? `Put take ${n} in the cut` : 'Only a ready take can go in the cut'}
            onClick={() => void commands.updateShot(shot.id, { selectedTakeId: take.id })}
          >
            Use this take
          </button>
        )}
      </div>
      {ready ? (
        <video
          ref={videoRef}
          className="review__video"
          src={client.mediaUrl(take.media!.path, take.media!.sha256)}
          poster={poster ? client.mediaUrl(poster, take.media!.sha256) : undefined}
          controls
          preload="metadata"
          aria-label={`Take ${n} clip`}
        />
      ) : (
        <p className="review__pending">{take.error ? `Take ${n} failed: ${take.error}` : `Take ${n} is ${statusText(view).toLowerCase()}; review it once it is ready.`}</p>
      )}
      <div className="review__bar">
        <div className="review__stars" role="group" aria-label={`Rating of take ${n}`}>
          {[1, 2, 3, 4, 5].map((r) => (
            <button
              key={r}
              type="button"
              className={`review__star${take.review.rating >= r ? ' review__star--on' : ''}`}
              aria-label={`${r} star${r === 1 ? '' : 's'}`}
              aria-pressed={take.review.rating === r}
              title={take.review.rating === r ? 'Click again to clear the rating' : `Rate ${r} of 5`}
              onClick={() => void review({ rating: take.review.rating === r ? 0 : r })}
            >
              <Icon name="star" size={15} filled={take.review.rating >= r} />
            </button>
          ))}
        </div>
        <button
          type="button"
          className={`review__flag${take.review.flag === 'circle' ? ' review__flag--circle' : ''}`}
          aria-pressed={take.review.flag === 'circle'}
          title="Circle: mark as a keeper"
          onClick={() => void review({ flag: take.review.flag === 'circle' ? 'none' : 'circle' })}
        >
          <Icon name="circle" size={13} />
          Circle
        </button>
        <button
          type="button"
          className={`review__flag${take.review.flag === 'reject' ? ' review__flag--reject' : ''}`}
          aria-pressed={take.review.flag === 'reject'}
          title="Reject: dimmed in the list, kept on disk"
          onClick={() => void review({ flag: take.review.flag === 'reject' ? 'none' : 'reject' })}
        >
          <Icon name="ban" size={13} />
          Reject
        </button>
      </div>
      <ul className="review__notes" aria-label={`Notes on take ${n}`}>
        {take.review.notes.map((x, i) => (
          <li key={i} className="review__note">
            <span className="review__tc">{x.atSec !== undefined ? formatTimecode(x.atSec) : '—'}</span>
            <span className="review__text">{x.text}</span>
            <button
              type="button"
              className="icon-btn"
              aria-label={`Remove note ${x.atSec !== undefined ? `at ${formatTimecode(x.atSec)}` : i + 1}`}
              title="Remove note"
              onClick={() => void review({ removeNote: i })}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        className="review__add"
        onSubmit={(e) => {
          e.preventDefault();
          void addNote();
        }}
      >
        <input
          className="input review__input"
          aria-label={`Note on take ${n}`}
          placeholder="Note at the current time…"
          value={note}
          maxLength={1000}
          onChange={(e) => setNote(e.target.value)}
        />
        <button type="submit" className="btn btn--tiny" disabled={!note.trim()} title="Adds the note at the clip's current time (or the preview's, inside this shot)">
          Add note
        </button>
      </form>
    </div>
  );
}
