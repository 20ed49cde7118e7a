// Audio: native sound from the model, up to two voices from the project's voice library (each mapped to
// the provider's own voice id), and dialogue lines.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCommands, useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { findShot } from '../../store/selectors';
import { FieldMessages, InspectorField } from './inspector-field';
import { useFieldProblems, useShotCapabilities, useShotValue } from './shot-hooks';
import { NOT_SAVED } from './text-fields';
import { usePendingValue } from './use-pending-value';
import { useShotDraft } from './use-shot-draft';
import { MAX_DIALOGUE_LINES, formatDialogue, parseDialogue, validateDialogue, type DialogueLine } from './validation';

const NO_IDS: string[] = [];
const NO_ELEMENTS: readonly { id: string; name: string; kind: string; voiceId?: string }[] = [];

export function NativeAudioField({ shotId }: { shotId: string }) {
  const commands = useCommands();
  const [on, setOn] = usePendingValue(useShotValue(shotId, (s) => s.audio.native, false));
  const { reason } = useShotCapabilities(shotId);
  const off = reason('nativeAudio');
  const problems = useFieldProblems('nativeAudio');
  return (
    <div className={`field${off ? ' field--off' : ''}${problems.length ? ' field--problem' : ''}`}>
      <label className="switch" title={off ?? undefined}>
        <input
          type="checkbox"
          role="switch"
          className="switch__input"
          aria-label="Native audio"
          title={off ?? undefined}
          checked={on}
          disabled={Boolean(off)}
          onChange={(e) => {
            const native = e.target.checked;
            void setOn(native, () => commands.updateShot(shotId, { audio: { native } }));
          }}
        />
        <span className="switch__track" aria-hidden="true" />
        <span className="switch__text">
          <span className="field__label">Native audio</span>
          <span className="field__hint">Sound made with the picture: ambience, effects, speech.</span>
        </span>
      </label>
      <FieldMessages problems={problems} disabledReason={off} />
    </div>
  );
}

export function VoicesField({ shotId }: { shotId: string }) {
  const { commands, store } = useServices();
  const voices = useStudio(useShallow((s) => s.doc?.project.voices ?? []));
  const provider = useStudio((s) => s.doc?.project.settings.provider ?? 'animatic');
  const [chosen, setChosen] = usePendingValue(useStudio(useShallow((s) => findShot(s, shotId)?.audio.voiceIds ?? NO_IDS)));
  const { reason, caps } = useShotCapabilities(shotId);
  const off = reason('voices');
  const problems = useFieldProblems('voices');
  const max = Math.min(2, caps.maxVoices || 2);
  const toggle = (id: string) => {
    const next = chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id];
    void setChosen(next, () => commands.updateShot(shotId, { audio: { voiceIds: next } }));
  };
  const missingIds = chosen
    .map((id) => voices.find((v) => v.id === id))
    .filter((v) => v && !off && provider !== 'animatic' && !v.providerIds[provider])
    .map((v) => v!.name);
  return (
    <div className={`field${off ? ' field--off' : ''}${problems.length ? ' field--problem' : ''}`} role="group" aria-label="Voices">
      <div className="field__head">
        <span className="field__label" title={off ?? undefined}>
          Voices
        </span>
        <span className="field__aside counter">{voices.length && !off ? `${chosen.length}/${max}` : null}</span>
      </div>
      {voices.length === 0 ? (
        <p className="field__hint">Named voices for speech. Add one in the library with its id on each provider, then pick up to two here.</p>
      ) : (
        <div className="chips">
          {voices.map((v) => {
            const on = chosen.includes(v.id);
            const full = !on && chosen.length >= max;
            // A voice this provider cannot use stays on the shot, and can still be taken off it.
            const why = off ? (on ? `${off}: click to take it off this shot` : off) : full ? `A shot uses at most ${max} voices; remove one first` : undefined;
            return (
              <button
                key={v.id}
                type="button"
                className={`chip${on ? ' chip--on' : ''}${off ? ' chip--off' : ''}`}
                aria-pressed={on}
                disabled={(Boolean(off) && !on) || full}
                title={why}
                onClick={() => toggle(v.id)}
              >
                {on ? <span className="chip__token">{`voice_${chosen.indexOf(v.id) + 1}`}</span> : null}
                {v.name}
              </button>
            );
          })}
        </div>
      )}
      <FieldMessages
        problems={[...problems, ...(missingIds.length ? [`${missingIds.join(' and ')} ${missingIds.length === 1 ? 'has' : 'have'} no ${caps.label} voice id yet: add it in the library.`] : [])]}
        disabledReason={off}
        hint={
          off && chosen.length > 0 ? (
            `Take ${chosen.length === 1 ? 'the voice' : 'the voices'} off this shot, or choose a provider that takes voices in Settings.`
          ) : chosen.length > 0 ? (
            <>
              Say who speaks in the prompt with <code>{'<<<voice_1>>>'}</code>
              {chosen.length > 1 ? (
                <>
                  {' '}
                  and <code>{'<<<voice_2>>>'}</code>
                </>
              ) : null}
              .
            </>
          ) : undefined
        }
      />
      {voices.length === 0 ? (
        <div>
          <button type="button" className="btn btn--tiny" onClick={() => store.getState().openDialog('library')}>
            Add a voice…
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function DialogueField({ shotId }: { shotId: string }) {
  const draft = useShotDraft({
    shotId,
    field: 'dialogue',
    label: 'Dialogue',
    read: (s) => formatDialogue(s.audio.dialogue),
    validate: validateDialogue,
    toPatch: (text) => ({ audio: { dialogue: parseDialogue(text) } }),
    delayMs: 400,
  });
  const problems = useFieldProblems('dialogue');
  const lines = parseDialogue(draft.text);
  const elements = useStudio((s) => s.doc?.project.elements ?? NO_ELEMENTS);
  const characters = useMemo(() => elements.filter((e) => e.kind === 'character'), [elements]);
  const set = (next: DialogueLine[]) => draft.onChange(formatDialogue(next));
  const edit = (i: number, patch: Partial<DialogueLine>) => set(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <InspectorField label="Dialogue" error={draft.error} problems={problems} hint={draft.notSaved ? NOT_SAVED : lines.length ? undefined : 'Lines spoken in the shot, in order.'}>
      {({ id }) => (
        <div className="dialogue" id={id} data-draft-field="dialogue">
          {lines.map((line, i) => (
            <div className="dialogue__row" key={i}>
              <div className="dialogue__who">
                {characters.length ? (
                  <select
                    className="input dialogue__character"
                    aria-label={`Character who says line ${i + 1}`}
                    title="Who says it: a character's line reaches the provider in the prompt, spoken with the character's voice"
                    value={line.characterId ?? ''}
                    onChange={(e) => {
                      const c = characters.find((x) => x.id === e.target.value);
                      edit(i, c ? { characterId: c.id, speaker: c.name } : { characterId: undefined });
                      void draft.flush();
                    }}
                  >
                    <option value="">Other speaker</option>
                    {characters.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                        {c.voiceId ? ' (voice)' : ''}
                      </option>
                    ))}
                  </select>
                ) : null}
                {!line.characterId ? (
                <input
                  className="input dialogue__speaker"
                  type="text"
                  value={line.speaker}
                  placeholder="Speaker"
                  aria-label={`Speaker of line ${i + 1}`}
                  autoComplete="off"
                  onChange={(e) => edit(i, { speaker: e.target.value })}
                  onBlur={() => void draft.flush()}
                />
                ) : null}
              </div>
              <input
                className="input dialogue__text"
                type="text"
                value={line.text}
                placeholder="What they say"
                aria-label={`Line ${i + 1}`}
                autoComplete="off"
                onChange={(e) => edit(i, { text: e.target.value })}
                onBlur={() => void draft.flush()}
              />
              <button
                type="button"
                className="icon-btn"
                aria-label={`Remove line ${i + 1}`}
                title="Remove this line"
                onClick={() => {
                  set(lines.filter((_, j) => j !== i));
                  void draft.flush();
                }}
              >
                <Icon name="x" size={13} />
              </button>
            </div>
          ))}
          <div>
            <button
              type="button"
              className="btn btn--tiny btn--ghost"
              disabled={lines.length >= MAX_DIALOGUE_LINES}
              title={lines.length >= MAX_DIALOGUE_LINES ? `A shot holds at most ${MAX_DIALOGUE_LINES} lines` : undefined}
              onClick={() => set([...lines, { speaker: '', text: '' }])}
            >
              <Icon name="plus" size={13} />
              Add line
            </button>
          </div>
        </div>
      )}
    </InspectorField>
  );
}
