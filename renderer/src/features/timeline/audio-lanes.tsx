// Music and voice-over lanes under the video lane: a waveform placed at the lane's start, dragged
// sideways to move it (one edit on release, in tenths of a second), a gain slider, a duck toggle and a
// remove button in the lane's header.
import { memo, useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCommands, useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { snapTenth } from './geometry';
import { useLaneWaveform } from './pictures';

export const GAIN_MIN_DB = -30;
export const GAIN_MAX_DB = 6;
/** A gain change is sent once the slider rests this long (one undo step per gesture, not per pixel). */
const GAIN_SETTLE_MS = 400;

const KIND_LABEL = { music: 'Music', voiceover: 'Voice-over' } as const;

/**
 * A lane is called by its kind and number ("Music 1", "Voice-over 2") and, when the core kept it, the
 * original file's name ("Music 1 · score.wav").
 */
function laneName(kind: 'music' | 'voiceover', n: number, file?: string): string {
  return `${KIND_LABEL[kind]} ${n}${file ? ` · ${file}` : ''}`;
}

/** The audio file's length, read by the browser from its header (the project does not store it). */
function useAudioDuration(url: string | null): number | null {
  const [duration, setDuration] = useState<number | null>(null);
  useEffect(() => {
    if (!url) return;
    const audio = new Audio();
    audio.preload = 'metadata';
    audio.onloadedmetadata = () => setDuration(Number.isFinite(audio.duration) ? audio.duration : null);
    audio.src = url;
    return () => {
      audio.onloadedmetadata = null;
      audio.removeAttribute('src');
      audio.load();
    };
  }, [url]);
  return duration;
}

function GainControl({ laneId, gainDb, name }: { laneId: string; gainDb: number; name: string }) {
  const commands = useCommands();
  const [draft, setDraft] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const shown = draft ?? gainDb;

  const send = (value: number) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    void commands.mutate('audio.updateLane', { id: laneId, patch: { gainDb: value } }, `Could not change the gain of ${name}`).finally(() => setDraft(null));
  };
  const onChange = (value: number) => {
    setDraft(value);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => send(value), GAIN_SETTLE_MS);
  };
  const flush = () => {
    if (timer.current && draft !== null) send(draft);
  };
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  return (
    <label className="tl-gain" title={`Gain of ${name}: ${GAIN_MIN_DB} to +${GAIN_MAX_DB} dB`}>
      <input
        type="range"
        min={GAIN_MIN_DB}
        max={GAIN_MAX_DB}
        step={1}
        value={Math.max(GAIN_MIN_DB, Math.min(GAIN_MAX_DB, shown))}
        aria-label="Gain (dB)"
        aria-valuetext={`${shown} dB`}
        onChange={(e) => onChange(Number(e.target.value))}
        onPointerUp={flush}
        onBlur={flush}
      />
      <output className="tl-gain__value">{shown > 0 ? `+${shown}` : shown} dB</output>
    </label>
  );
}

interface LaneProps {
  id: string;
  /** 1-based among lanes of the same kind. */
  n: number;
  /** The original file name and the length measured by the core (absent on lanes made before they were kept). */
  fileName?: string;
  fileDurationSec?: number;
  kind: 'music' | 'voiceover';
  path: string;
  startSec: number;
  gainDb: number;
  duck: boolean;
  pps: number;
}

const AudioLaneRow = memo(function AudioLaneRow({ id, n, fileName, fileDurationSec, kind, path, startSec, gainDb, duck, pps }: LaneProps) {
  const { client } = useServices();
  const commands = useCommands();
  const name = laneName(kind, n, fileName);
  const waveform = useLaneWaveform(id, path);
  const measured = useAudioDuration(fileDurationSec === undefined ? client.mediaUrl(path) : null);
  const duration = fileDurationSec ?? measured;
  const clipRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ pointerId: number; x0: number; moved: boolean } | null>(null);
  const [preview, setPreview] = useState<number | null>(null);
  const shownStart = preview ?? startSec;
  const widthSec = duration ?? 10;

  const moveTo = async (sec: number) => {
    const to = snapTenth(sec);
    if (to === startSec) return;
    setPreview(to);
    await commands.mutate('audio.updateLane', { id, patch: { startSec: to } }, `Could not move ${name}`);
    setPreview(null);
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { pointerId: e.pointerId, x0: e.clientX, moved: false };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    const el = clipRef.current;
    if (!d || !el || d.pointerId !== e.pointerId) return;
    const to = snapTenth(startSec + (e.clientX - d.x0) / pps);
    d.moved = true;
    // Live position straight on the element; React hears about it once, on release.
    el.style.transform = `translateX(${(to - startSec) * pps}px)`;
    el.dataset.at = `${to.toFixed(1)} s`;
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    const el = clipRef.current;
    drag.current = null;
    if (!d || !el || d.pointerId !== e.pointerId) return;
    const to = snapTenth(startSec + (e.clientX - d.x0) / pps);
    el.style.transform = '';
    delete el.dataset.at;
    if (d.moved) void moveTo(to);
  };
  const onPointerCancel = () => {
    drag.current = null;
    if (clipRef.current) {
      clipRef.current.style.transform = '';
      delete clipRef.current.dataset.at;
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape' && drag.current) {
      e.preventDefault();
      onPointerCancel();
      return;
    }
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    if (e.metaKey || e.ctrlKey || e.altKey) return;
    e.preventDefault();
    const step = (e.shiftKey ? 1 : 0.1) * (e.key === 'ArrowLeft' ? -1 : 1);
    void moveTo(shownStart + step);
  };

  return (
    <div className="tl-row tl-row--audio" role="group" aria-label={`${name} lane`}>
      <div className="tl-hd tl-hd--audio">
        <div className="tl-hd__line">
          {/* The header keeps to "MUSIC 1"; the file's name is on the clip and in the tooltip. */}
          <span className={`tl-kind tl-kind--${kind}`} title={name}>
            {laneName(kind, n)}
          </span>
          <span className="tl-hd__name" title={fileName ? `${fileName} (${path})` : path}>
            {duration ? `${duration.toFixed(1)} s` : ''}
          </span>
          <button
            type="button"
            className="tl-icon-btn"
            aria-label="Remove lane"
            title={`Remove ${name} from the cut (its file stays in ${path}; undo brings it back)`}
            onClick={() => void commands.mutate('audio.removeLane', { id }, `Could not remove ${name}`)}
          >
            <Icon name="x" size={13} />
          </button>
        </div>
        <div className="tl-hd__line">
          <GainControl laneId={id} gainDb={gainDb} name={name} />
          <button
            type="button"
            className={`tl-toggle${duck ? ' tl-toggle--on' : ''}`}
            aria-pressed={duck}
            aria-label="Duck under dialogue"
            title={duck ? 'Ducking: this lane gets quieter while shots speak. Click to keep it at full level.' : 'Not ducking: click to lower this lane while shots speak.'}
            onClick={() => void commands.mutate('audio.updateLane', { id, patch: { duck: !duck } }, `Could not change ducking of ${name}`)}
          >
            Duck
          </button>
        </div>
      </div>
      <div className="tl-track">
        <div
          ref={clipRef}
          className={`tl-clip tl-clip--${kind}`}
          role="button"
          tabIndex={0}
          aria-label={`${name}, starts at ${shownStart.toFixed(1)} seconds. Drag or use arrow keys to move it.`}
          title={`${name} · starts at ${shownStart.toFixed(1)} s${duration ? ` · ${duration.toFixed(1)} s long` : ''}\nDrag to move (0.1 s steps) · ←/→ 0.1 s · ⇧←/⇧→ 1 s`}
          style={{ left: `${shownStart * pps}px`, width: `${Math.max(8, widthSec * pps)}px` }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerCancel}
          onKeyDown={onKeyDown}
        >
          {waveform?.waveform ? (
            <img className="tl-clip__wave" src={client.mediaUrl(waveform.waveform)} alt={`Waveform of ${name}`} draggable={false} />
          ) : (
            <span className="tl-clip__pending">{waveform?.error ? 'No waveform' : 'Drawing waveform…'}</span>
          )}
          <span className="tl-clip__label">{name}</span>
        </div>
      </div>
    </div>
  );
});

export function AudioLanes({ pps }: { pps: number }) {
  const lanes = useStudio(useShallow((s) => s.doc?.project.audioLanes ?? []));
  if (lanes.length === 0) {
    return (
      <div className="tl-row tl-row--audio tl-row--empty">
        <div className="tl-hd tl-hd--audio">
          <span className="tl-kind">Audio</span>
        </div>
        <p className="tl-empty">
          No music or voice-over yet. Use <strong>Add music…</strong> to lay a track under the cut; it ducks under dialogue unless you turn that off.
        </p>
      </div>
    );
  }
  return (
    <>
      {lanes.map((l, i) => (
        <AudioLaneRow
          key={l.id}
          id={l.id}
          n={lanes.slice(0, i + 1).filter((x) => x.kind === l.kind).length}
          fileName={l.name}
          fileDurationSec={l.durationSec}
          kind={l.kind}
          path={l.path}
          startSec={l.startSec}
          gainDb={l.gainDb}
          duck={l.duck}
          pps={pps}
        />
      ))}
    </>
  );
}

/** "Add music…" / "Add voice-over…": a hidden file input, staged into the project, then one addLane. */
export function AddLaneButton({ kind }: { kind: 'music' | 'voiceover' }) {
  const commands = useCommands();
  const { store } = useServices();
  const loaded = useStudio((s) => s.doc !== null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  // Why the core refused a file (not audio, 0 s, over 2 h), kept beside the button until dismissed.
  const [refused, setRefused] = useState<string | null>(null);
  const label = kind === 'music' ? 'Add music…' : 'Add voice-over…';

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setRefused(null);
    try {
      const path = await commands.stageFile(file);
      const failTitle = `Could not add ${file.name}`;
      const added = path ? await commands.mutate('audio.addLane', { kind, path }, failTitle) : null;
      if (!added) setRefused(store.getState().toasts.findLast((t) => t.title === failTitle)?.message ?? `Nothing was added: ${file.name} could not be read.`);
    } finally {
      setBusy(false);
      if (inputRef.current) inputRef.current.value = '';
    }
  };

  return (
    <span className="tl-addlane">
      <button
        type="button"
        className="btn btn--tiny tl-tool"
        disabled={!loaded || busy}
        title={busy ? 'Copying the file into the project…' : kind === 'music' ? 'Lay a music track under the cut (wav, mp3, m4a, flac…)' : 'Add a voice-over recording under the cut'}
        onClick={() => inputRef.current?.click()}
      >
        {busy ? 'Adding…' : label}
      </button>
      <input
        ref={inputRef}
        type="file"
        accept="audio/*,.wav,.mp3,.m4a,.aac,.flac,.ogg,.opus"
        hidden
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => void onFile(e.target.files?.[0])}
      />
      {refused ? (
        <span className="tl-addlane__refused" role="alert">
          <span>{refused}</span>
          <button type="button" className="tl-addlane__close" aria-label="Dismiss" onClick={() => setRefused(null)}>
            ×
          </button>
        </span>
      ) : null}
    </span>
  );
}
