// The project's voice library: a name and the voice id each provider knows it by (fal.ai, Kling,
// Lumenfall). Shots pick voices by name; the engine sends the chosen provider's id.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCommands, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { LibraryNameInput, useSyncedText } from './synced-text';
import { VoiceSample } from './voice-sample';

type Voice = { id: string; name: string; providerIds: Record<string, string>; sample?: { path: string; durationSec: number } };

/** Providers that take a voice id for Kling V3 (Replicate has no voice control; the animatic needs none). */
export const VOICE_PROVIDERS = [
  { id: 'fal', label: 'fal.ai', placeholder: 'e.g. 829826838…' },
  { id: 'kling', label: 'Kling', placeholder: 'voice_id from Kling' },
  { id: 'lumenfall', label: 'Lumenfall', placeholder: 'voice id' },
] as const;

function VoiceCard({ voice, index }: { voice: Voice; index: number }) {
  const commands = useCommands();
  const save = (patch: { name?: string; providerIds?: Record<string, string> }) =>
    void commands.mutate(
      'library.saveVoice',
      { id: voice.id, name: patch.name ?? voice.name, providerIds: patch.providerIds ?? {} },
      `Could not save the voice “${voice.name}”`,
    );
  return (
    <li className="lib-card" aria-label={voice.name}>
      <div className="lib-card__head">
        <LibraryNameInput stored={voice.name} label={`Voice ${index + 1} name`} onSave={(next) => save({ name: next })} />
        <button
          type="button"
          className="icon-btn"
          aria-label={`Remove voice ${voice.name}`}
          title="Remove this voice from the library and from every shot that uses it (⌘Z brings it back)"
          onClick={() => void commands.mutate('library.removeVoice', { id: voice.id }, `Could not remove the voice “${voice.name}”`)}
        >
          <Icon name="trash" size={14} />
        </button>
      </div>
      <div className="lib-ids">
        {VOICE_PROVIDERS.map((p) => (
          <ProviderIdInput
            key={p.id}
            label={`${p.label} voice id`}
            short={p.label}
            placeholder={p.placeholder}
            stored={voice.providerIds[p.id] ?? ''}
            onSave={(value) => save({ providerIds: { [p.id]: value.trim() } })}
          />
        ))}
      </div>
      <VoiceSample voice={voice} />
    </li>
  );
}

export function ProviderIdInput({ label, short, placeholder, stored, onSave }: { label: string; short: string; placeholder: string; stored: string; onSave: (value: string) => void }) {
  const text = useSyncedText(stored);
  return (
    <label className="lib-id">
      <span className="lib-id__label">{short}</span>
      <input
        className="input input--mono"
        type="text"
        value={text.text}
        aria-label={label}
        placeholder={placeholder}
        maxLength={200}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => text.onChange(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
        onBlur={() => {
          const next = text.commit();
          if (next !== null) onSave(next);
        }}
      />
    </label>
  );
}

export function NewItemForm({ noun, onAdd }: { noun: string; onAdd: (name: string) => Promise<boolean> }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const trimmed = name.trim();
  return (
    <form
      className="lib-new"
      onSubmit={(e) => {
        e.preventDefault();
        if (!trimmed || busy) return;
        setBusy(true);
        void onAdd(trimmed).then((ok) => {
          setBusy(false);
          if (ok) setName('');
        });
      }}
    >
      <input
        className="input"
        type="text"
        value={name}
        maxLength={80}
        placeholder={`Name, e.g. ${noun === 'voice' ? 'Narrator' : 'Mara (lead)'}`}
        aria-label={`New ${noun} name`}
        autoComplete="off"
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="btn btn--secondary" disabled={!trimmed || busy} title={trimmed ? undefined : `Type a name for the ${noun} first`}>
        <Icon name="plus" size={14} />
        Add {noun}
      </button>
    </form>
  );
}

export function VoiceList() {
  const commands = useCommands();
  const voices = useStudio(useShallow((s) => s.doc?.project.voices ?? []));
  return (
    <div className="lib-col" role="group" aria-label="Voices">
      <div className="lib-col__head">
        <h3 className="lib-col__title">Voices</h3>
        <span className="panel__meta">{voices.length}</span>
      </div>
      <p className="lib-col__intro">
        A name for each voice and its id on every provider you use — pasted, or created from a 5–30 s sample. Shots pick up to two; the prompt refers to them as <code>{'<<<voice_1>>>'}</code>.
      </p>
      {voices.length === 0 ? <p className="lib-empty">No voices yet. Add one below, then paste its id from each provider’s voice library.</p> : null}
      <ul className="lib-list">
        {voices.map((v, i) => (
          <VoiceCard key={v.id} voice={v} index={i} />
        ))}
      </ul>
      <NewItemForm
        noun="voice"
        onAdd={async (name) => Boolean(await commands.mutate('library.saveVoice', { name, providerIds: {} }, `Could not add the voice “${name}”`))}
      />
    </div>
  );
}
