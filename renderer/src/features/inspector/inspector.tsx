import { useShallow } from 'zustand/react/shallow';
import { MAX_PROMPT_CHARS } from '../../../../shared/schema';
import { useCommands, useStudio } from '../../app/studio-context';
import { Field } from '../../components/field';
import { Icon } from '../../components/icon';
import { MOD_KEY, isMac } from '../../components/platform';
import { StatusPill } from '../../components/status-pill';
import { selectShotStatus } from '../../store/selectors';
import { TakesPanel } from '../takes/takes-panel';
import { useShotDraft } from './use-shot-draft';
import { validateDuration, validatePrompt, validateTitle } from './validation';

const NOT_SAVED = 'Not saved yet: Storyreel did not take this edit (see the message). It stays here and is sent again when you edit it or the connection comes back.';


function TitleField({ shotId }: { shotId: string }) {
  const draft = useShotDraft({ shotId, read: (s) => s.title, validate: validateTitle, toPatch: (title) => ({ title }) });
  return (
    <Field label="Title" error={draft.error} hint={draft.notSaved ? NOT_SAVED : undefined}>
      {(a) => (
        <input
          {...a}
          className="input"
          type="text"
          value={draft.text}
          placeholder="e.g. Lighthouse at dusk"
          autoComplete="off"
          onChange={(e) => draft.onChange(e.target.value)}
          onBlur={() => void draft.flush()}
        />
      )}
    </Field>
  );
}

function PromptField({ shotId, negative }: { shotId: string; negative?: boolean }) {
  const draft = useShotDraft({
    shotId,
    read: (s) => (negative ? s.negativePrompt : s.prompt),
    validate: validatePrompt,
    toPatch: (text) => (negative ? { negativePrompt: text } : { prompt: text }),
  });
  const over = draft.text.length > MAX_PROMPT_CHARS;
  const counter = (
    <span className={`counter${over ? ' counter--over' : ''}`} aria-label={`${draft.text.length} of ${MAX_PROMPT_CHARS} characters`}>
      {draft.text.length}/{MAX_PROMPT_CHARS}
    </span>
  );
  return (
    <Field
      label={negative ? 'Negative prompt' : 'Prompt'}
      error={draft.error}
      aside={counter}
      hint={draft.notSaved ? NOT_SAVED : negative ? 'What the shot should avoid.' : undefined}
    >
      {(a) => (
        <textarea
          {...a}
          className="input input--area"
          rows={negative ? 2 : 5}
          value={draft.text}
          placeholder={negative ? 'blur, distortion, text' : 'Describe the shot: subject, action, camera, light…'}
          onChange={(e) => draft.onChange(e.target.value)}
          onBlur={() => void draft.flush()}
        />
      )}
    </Field>
  );
}

function DurationField({ shotId }: { shotId: string }) {
  const draft = useShotDraft({
    shotId,
    read: (s) => String(s.durationSec),
    validate: validateDuration,
    toPatch: (text) => ({ durationSec: Number(text.trim()) }),
    delayMs: 150,
  });
  return (
    <Field label="Duration (s)" error={draft.error} hint={draft.notSaved ? NOT_SAVED : '3–15 seconds'}>
      {(a) => (
        <input
          {...a}
          className="input input--narrow"
          type="number"
          inputMode="numeric"
          min={3}
          max={15}
          step={1}
          value={draft.text}
          onChange={(e) => draft.onChange(e.target.value)}
          onBlur={() => void draft.flush()}
        />
      )}
    </Field>
  );
}

function ShotActions({ shotId }: { shotId: string }) {
  const commands = useCommands();
  const status = useStudio(useShallow(selectShotStatus(shotId)));
  const busy = status.kind === 'queued' || status.kind === 'generating' || status.kind === 'downloading';
  return (
    <div className="inspector__actions">
      <StatusPill status={status} />
      <button
        type="button"
        className="btn btn--secondary"
        disabled={busy}
        onClick={() => void commands.generate([shotId])}
        aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
      >
        <Icon name="spark" />
        {status.kind === 'ready' ? 'New take' : 'Generate shot'}
        <kbd className="kbd">{MOD_KEY}↵</kbd>
      </button>
    </div>
  );
}

function ShotForm({ shotId }: { shotId: string }) {
  const commands = useCommands();
  return (
    <div className="inspector__form">
      <TitleField shotId={shotId} />
      <PromptField shotId={shotId} />
      <PromptField shotId={shotId} negative />
      <DurationField shotId={shotId} />
      <ShotActions shotId={shotId} />
      <TakesPanel shotId={shotId} />
      <div className="inspector__danger">
        <button type="button" className="btn btn--danger" onClick={() => void commands.removeShot(shotId)} aria-keyshortcuts="Delete">
          <Icon name="trash" />
          Delete shot
        </button>
      </div>
    </div>
  );
}

export function Inspector() {
  const { id, number } = useStudio(
    useShallow((s) => {
      const shots = s.doc?.project.shots ?? [];
      const index = shots.findIndex((x) => x.id === s.selectedShotId);
      return { id: index >= 0 ? shots[index].id : null, number: index + 1 };
    }),
  );
  return (
    <section className="panel inspector" aria-label="Inspector">
      <header className="panel__head">
        <h2 className="panel__title">Inspector</h2>
        {id ? <span className="panel__meta">Shot {number}</span> : null}
      </header>
      <div className="inspector__scroll">
        {id ? <ShotForm key={id} shotId={id} /> : <p className="empty-note">Select a shot to edit its prompt and timing.</p>}
      </div>
    </section>
  );
}
