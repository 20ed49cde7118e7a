// Export (toolbar "Export…", ⌘E/Ctrl+E): the cut re-encoded as a deliverable into renders/ by the core
// (media.export, docs/architecture.md §7). The dialog is a form, then the export's progress with Cancel, then the file
// with a way to get it — or the core's message when it stopped. Closing it while an export runs keeps the
// export running (the toolbar button shows its progress); reopening shows where it is.
import { useRef, useState } from 'react';
import type { ExportPreset } from '../../../../shared/api';
import type { AspectRatio } from '../../../../shared/schema';
import { useServices, useStudio } from '../../app/studio-context';
import { Field } from '../../components/field';
import { Icon } from '../../components/icon';
import { ProgressBar } from '../../components/progress-bar';
import { Modal } from '../notices/modal';
import {
  CROSSFADE_MAX_SEC,
  CROSSFADE_STEP_SEC,
  defaultFileName,
  exportBaseName,
  fileNameProblem,
  fileNameWithExtension,
  formatBytes,
  formatLength,
  slateWarning,
  soundLine,
  summarizeExport,
} from './export-plan';
import { cancelExport, EXPORT_KEYS, resetExport, startExport, useExportRun, type ExportDraft, type ExportRun } from './export-run';
import { EXPORT_PRESETS, frameSize, presetDetail, presetFacts, qualityMeaning } from './presets';
import './export.css';

export function ExportDialog() {
  const open = useStudio((s) => s.dialog === 'export');
  if (!open) return null;
  return <ExportModal />;
}

function ExportModal() {
  const { store } = useServices();
  const run = useExportRun((s) => s.run);
  const close = () => {
    // A finished, canceled or failed export is read once; the next opening starts from the form.
    resetExport();
    store.getState().openDialog(null);
  };
  return (
    <Modal title="Export" onClose={close} className="export" footer={<Footer run={run} close={close} />}>
      {run.phase === 'idle' ? <ExportForm /> : <RunView run={run} />}
    </Modal>
  );
}

const FORM_ID = 'export-form';

function Footer({ run, close }: { run: ExportRun; close: () => void }) {
  const services = useServices();
  const hasShots = useStudio((s) => (s.doc?.project.shots.length ?? 0) > 0);
  switch (run.phase) {
    case 'idle':
      return (
        <>
          <span className="modal__foot-note">Encoded on this computer into the project’s renders/ folder.</span>
          <button type="button" className="btn" onClick={close}>
            Close
          </button>
          <button type="submit" form={FORM_ID} className="btn btn--primary" disabled={!hasShots} title={hasShots ? undefined : 'Add a shot first'}>
            Export
          </button>
        </>
      );
    case 'running':
      return (
        <>
          <span className="modal__foot-note">Closing this window keeps the export running; the Export button in the toolbar shows its progress.</span>
          <button type="button" className="btn btn--danger" disabled={run.canceling} onClick={() => void cancelExport(services)}>
            {run.canceling ? 'Canceling…' : 'Cancel export'}
          </button>
          <button type="button" className="btn" onClick={close}>
            Keep running in background
          </button>
        </>
      );
    default:
      return (
        <>
          <button type="button" className="btn" onClick={resetExport}>
            {run.phase === 'done' ? 'Export another' : run.phase === 'failed' ? 'Try again' : 'Back to the settings'}
          </button>
          <button type="button" className="btn btn--primary" onClick={close} data-autofocus>
            Done
          </button>
        </>
      );
  }
}

function useDraft(): ExportDraft {
  const projectName = useStudio((s) => s.doc?.project.name ?? '');
  const draft = useExportRun((s) => s.draft);
  const projectCrossfade = useStudio((s) => s.doc?.project.settings.crossfadeSec ?? 0);
  if (draft) {
    const named = draft.nameEdited ? draft : { ...draft, name: defaultFileName(projectName, draft.preset) };
    return draft.crossfadeEdited ? named : { ...named, crossfadeSec: projectCrossfade };
  }
  return { preset: 'h264-1080p', quality: presetFacts('h264-1080p').defaultQuality, crossfadeSec: projectCrossfade, name: defaultFileName(projectName, 'h264-1080p'), nameEdited: false };
}

function setDraft(draft: ExportDraft) {
  useExportRun.setState({ draft });
}

function ExportForm() {
  const services = useServices();
  const draft = useDraft();
  const project = useStudio((s) => s.doc?.project);
  const connected = useStudio((s) => s.connection.status === 'open');
  const [nameError, setNameError] = useState<string | undefined>();
  const nameRef = useRef<HTMLInputElement>(null);
  if (!project) return <p className="export__lead">The project is still loading.</p>;
  const aspect = project.settings.aspectRatio;
  const preset = presetFacts(draft.preset);
  const summary = summarizeExport(project, { preset: draft.preset, crossfadeSec: draft.crossfadeSec });
  const choosePreset = (id: ExportPreset) => {
    // The quality follows the preset: each encoder's scale has its own sensible default.
    setDraft({ ...draft, preset: id, quality: presetFacts(id).defaultQuality });
  };
  const submit = () => {
    const problem = fileNameProblem(draft.name);
    setNameError(problem);
    if (problem) {
      nameRef.current?.focus();
      return;
    }
    if (summary.shotCount === 0) return;
    void startExport(services, { preset: draft.preset, quality: draft.quality, crossfadeSec: draft.crossfadeSec, out: exportBaseName(draft.name) });
  };
  const slates = slateWarning(summary.slateCount);
  const shortened = draft.crossfadeSec > 0 && summary.crossfadeSec < draft.crossfadeSec - 1e-9;
  return (
    <form
      id={FORM_ID}
      className="export__form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <fieldset className="export__presets">
        <legend className="export__heading">Format</legend>
        {EXPORT_PRESETS.map((p) => (
          <label key={p.id} className={`export__preset${p.id === draft.preset ? ' export__preset--on' : ''}`}>
            <input type="radio" name="export-preset" value={p.id} checked={p.id === draft.preset} onChange={() => choosePreset(p.id)} data-autofocus={p.id === draft.preset ? true : undefined} />
            <span className="export__preset-text">
              <span className="export__preset-title">
                {p.title} <span className="export__preset-purpose">— {p.purpose}{p.loudness ? `, ${lufs(p.loudness.targetLufs)} LUFS` : ''}</span>
              </span>
              <span className="export__preset-detail">
                .{p.extension} · {presetDetail(p, aspect, project.settings.fps)}
              </span>
            </span>
          </label>
        ))}
      </fieldset>

      <div className="export__grid">
        <Field label="Quality" aside={`${draft.quality} · ${qualityMeaning(draft.preset, draft.quality)}`} hint={`Higher is better and larger; ${preset.defaultQuality} is this format’s default.`}>
          {(control) => (
            <input
              {...control}
              type="range"
              className="export__range"
              min={1}
              max={100}
              step={1}
              value={draft.quality}
              aria-valuetext={`${draft.quality} (${qualityMeaning(draft.preset, draft.quality)})`}
              onChange={(e) => setDraft({ ...draft, quality: Number(e.target.value) })}
            />
          )}
        </Field>
        <Field label="Crossfade between shots" aside={crossfadeText(draft.crossfadeSec)} hint={shortened ? `Shortened to ${summary.crossfadeSec.toFixed(2)} s to fit the shortest shot.` : 'Each crossfade overlaps two shots, so the film gets shorter.'}>
          {(control) => (
            <input
              {...control}
              type="range"
              className="export__range"
              min={0}
              max={CROSSFADE_MAX_SEC}
              step={CROSSFADE_STEP_SEC}
              value={draft.crossfadeSec}
              aria-valuetext={crossfadeText(draft.crossfadeSec)}
              onChange={(e) => setDraft({ ...draft, crossfadeSec: Number(e.target.value), crossfadeEdited: true })}
            />
          )}
        </Field>
        <div className="export__wide">
          <Field label="File name" error={nameError} hint={`Saved as renders/${fileNameWithExtension(draft.name || '…', draft.preset)} in the project folder; an export of the same name is replaced.`}>
            {(control) => (
              <span className="export__name">
                <input
                  {...control}
                  ref={nameRef}
                  className="input"
                  type="text"
                  spellCheck={false}
                  autoComplete="off"
                  value={draft.name}
                  onChange={(e) => {
                    setNameError(undefined);
                    setDraft({ ...draft, name: e.target.value, nameEdited: true });
                  }}
                />
                <span className="export__ext" aria-hidden="true">
                  .{preset.extension}
                </span>
              </span>
            )}
          </Field>
        </div>
      </div>

      <section className="export__summary" aria-label="What goes in">
        <h3 className="export__heading">What goes in</h3>
        <p>
          <strong>{formatLength(summary.lengthSec)}</strong> film · {summary.shotCount} {summary.shotCount === 1 ? 'shot' : 'shots'}
          {summary.crossfadeSec > 0 ? ` with ${summary.crossfadeSec.toFixed(2)} s crossfades` : ', straight cuts'} · {sizeText(preset.id, aspect)}
        </p>
        <p className="export__sound">{soundLine(summary)}</p>
        {slates ? (
          <p className="export__warn" role="note">
            <Icon name="alert" size={14} />
            {slates} Generate them first for the real pictures.
          </p>
        ) : null}
        {summary.shotCount === 0 ? (
          <p className="export__warn" role="note">
            <Icon name="alert" size={14} />
            The storyboard has no shots yet: add a shot, then export.
          </p>
        ) : null}
        {!connected ? (
          <p className="export__warn" role="note">
            <Icon name="alert" size={14} />
            Not connected to Storyreel: the export starts once the connection is back.
          </p>
        ) : null}
      </section>
    </form>
  );
}

function lufs(n: number): string {
  return n < 0 ? `−${Math.abs(n)}` : String(n);
}

function crossfadeText(sec: number): string {
  return sec === 0 ? 'Straight cuts' : `${sec.toFixed(2)} s`;
}

function sizeText(preset: ExportPreset, aspect: AspectRatio): string {
  const { width, height } = frameSize(presetFacts(preset), aspect);
  return `${width}×${height}`;
}

/** The step from the core's label: "Export H.264 720p (MP4): Encoding H.264 720p (MP4)" → "Encoding H.264 720p (MP4)". */
function stepOf(label: string): string {
  const at = label.indexOf(': ');
  return at >= 0 ? label.slice(at + 2) : label;
}

function RunView({ run }: { run: Exclude<ExportRun, { phase: 'idle' }> }) {
  const { client } = useServices();
  const task = useStudio((s) => s.tasks.export);
  const aspect = useStudio((s) => s.doc?.project.settings.aspectRatio ?? '16:9');
  const fps = useStudio((s) => s.doc?.project.settings.fps ?? 24);
  const preset = presetFacts(run.request.preset);
  const file = fileNameWithExtension(run.request.out, run.request.preset);
  if (run.phase === 'running') {
    const fraction = task && !task.done ? task.fraction : null;
    const label = run.canceling ? 'Canceling…' : task && !task.done ? stepOf(task.label) : 'Starting…';
    return (
      <div className="export__run" aria-live="polite">
        <p className="export__file">
          <Icon name="film" size={16} />
          <span>
            Exporting <strong>{file}</strong> · {preset.title}
            {run.request.crossfadeSec > 0 ? ` · ${run.request.crossfadeSec.toFixed(2)} s crossfades` : ''}
          </span>
        </p>
        <div className="export__progress">
          <span className="export__step">{label}</span>
          {fraction !== null ? <span className="export__pct">{Math.round(fraction * 100)}%</span> : null}
        </div>
        <ProgressBar fraction={fraction} label={`Export progress: ${label}`} />
      </div>
    );
  }
  if (run.phase === 'done') {
    const { result } = run;
    const name = result.path.split('/').pop() ?? result.path;
    const browser = typeof window !== 'undefined' && !window.storyreel;
    const url = browser ? client.mediaUrl(result.path, String(result.durationSec)) : '';
    return (
      <div className="export__run export__run--done" role="status">
        <p className="export__outcome export__outcome--ok">
          <Icon name="check" size={18} />
          Exported {name}
        </p>
        <dl className="export__facts">
          <dt>Size</dt>
          <dd>{formatBytes(run.result.bytes)}</dd>
          <dt>Length</dt>
          <dd>
            {formatLength(result.durationSec)}
            {result.crossfadeSec > 0 ? ` · ${result.crossfadeSec.toFixed(2)} s crossfades` : ' · straight cuts'}
          </dd>
          <dt>Format</dt>
          <dd>
            {preset.title} · {presetDetail(preset, aspect, fps)}
          </dd>
          <dt>In the project folder</dt>
          <dd>
            <code className="export__path">{result.path}</code>
          </dd>
        </dl>
        {result.slateShotIds.length ? <p className="export__warn">{slateWarning(result.slateShotIds.length)?.replace('will be', 'are')}</p> : null}
        {url ? (
          <a className="btn btn--secondary export__download" href={url} download={name}>
            <Icon name="film" size={15} />
            Download {name}
          </a>
        ) : null}
      </div>
    );
  }
  return (
    <div className="export__run" role="alert">
      <p className={`export__outcome ${run.phase === 'canceled' ? 'export__outcome--muted' : 'export__outcome--bad'}`}>
        <Icon name={run.phase === 'canceled' ? 'ban' : 'alert'} size={18} />
        {run.phase === 'canceled' ? `Export of ${file} canceled` : `The export of ${file} stopped`}
      </p>
      <p className="export__message">{run.message}</p>
      {run.phase === 'failed' ? <p className="export__lead">Nothing in the project was changed: no file was left in renders/, and your shots, takes and settings are as they were.</p> : null}
    </div>
  );
}

/** The toolbar's "Export…" button: opens the dialog, and shows how far a running export is. */
export function ExportButton() {
  const { store } = useServices();
  const running = useExportRun((s) => s.run.phase === 'running');
  const fraction = useStudio((s) => (s.tasks.export && !s.tasks.export.done ? s.tasks.export.fraction : null));
  const pct = running && fraction !== null ? `${Math.round(fraction * 100)}%` : running ? '…' : '';
  return (
    <button
      type="button"
      className="btn toolbar__export"
      title={running ? `Export running ${pct} — open to see it or cancel (${EXPORT_KEYS})` : `Export the cut as MP4, WebM, GIF or WebP (${EXPORT_KEYS})`}
      onClick={() => store.getState().openDialog('export')}
    >
      <Icon name="film" size={15} />
      Export…
      {running ? (
        <span className="btn__count" aria-hidden="true">
          {pct}
        </span>
      ) : null}
    </button>
  );
}
