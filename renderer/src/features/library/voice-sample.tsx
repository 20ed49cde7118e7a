// A voice's sample (5–30 s of one clean voice) and creating the voice from it on fal.ai or Kling
// (library.createVoice): the price is shown before the click, the id lands in the provider's field.
import { useState } from 'react';
import { VOICE_SAMPLE_MAX_SEC, VOICE_SAMPLE_MIN_SEC } from '../../../../shared/limits';
import { VOICE_CREATE_LABEL, VOICE_CREATE_PROVIDERS, klingVoiceName, voiceCreatePriceText, type VoiceCreateProvider } from '../../../../shared/voice-create';
import { useServices, useStudio } from '../../app/studio-context';
import { LibraryFileRow } from './library-file-row';

type Voice = { id: string; name: string; providerIds: Record<string, string>; sample?: { path: string; durationSec: number } };

function SampleRow({ voice }: { voice: Voice }) {
  return (
    <LibraryFileRow
      file={voice.sample}
      label="Sample"
      pickLabel={`Add a sample (${VOICE_SAMPLE_MIN_SEC}–${VOICE_SAMPLE_MAX_SEC} s)`}
      pickTitle={`${VOICE_SAMPLE_MIN_SEC}–${VOICE_SAMPLE_MAX_SEC} s of ${voice.name} speaking alone, no music or noise: a provider can make a voice id from it`}
      accept="audio/*,video/mp4,video/quicktime,.wav,.mp3,.m4a,.mp4,.mov"
      inputLabel={`Voice sample of ${voice.name}`}
      removeLabel={`Remove the sample of ${voice.name}`}
      fail={`Could not set the sample of “${voice.name}”`}
      method="library.setVoiceSample"
      input={(path) => ({ voiceId: voice.id, path })}
    />
  );
}

function CreateConfirm({ voice, provider, onDone }: { voice: Voice; provider: VoiceCreateProvider; onDone: () => void }) {
  const { client } = useServices();
  const [url, setUrl] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const progress = useStudio((s) => s.tasks[`voice-${voice.id}-${provider}`]);
  const label = VOICE_CREATE_LABEL[provider];
  const price = voiceCreatePriceText(provider);
  const replaces = voice.providerIds[provider];
  const urlOk = provider !== 'kling' || /^https?:\/\/\S+$/i.test(url.trim());
  const create = async () => {
    setError(null);
    setRunning(true);
    try {
      await client.invoke('library.createVoice', { voiceId: voice.id, provider, ...(provider === 'kling' ? { sampleUrl: url.trim() } : {}) });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setRunning(false);
    }
  };
  return (
    <div className="lib-confirm" role="group" aria-label={`Create ${voice.name} on ${label}`}>
      <p className="lib-confirm__text">
        Create “{provider === 'kling' ? klingVoiceName(voice.name) : voice.name}” on {label} from its {voice.sample!.durationSec.toFixed(1)} s sample.{' '}
        <strong>{price === 'price not published' ? `${label}’s price is not published` : `${price} (${label}’s published price)`}</strong>
        {provider === 'kling' ? ', billed in your resource-pack units' : ''}. The id goes into the {label} field{replaces ? ` and replaces ${replaces}` : ''}.
      </p>
      {provider === 'kling' ? (
        <label className="lib-id">
          <span className="lib-id__label">Sample URL</span>
          <input
            className="input input--mono"
            type="url"
            value={url}
            placeholder="https://… (Kling fetches the sample from here)"
            aria-label="Public URL of the sample"
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
      ) : null}
      <div className="lib-confirm__actions">
        <button type="button" className="btn btn--tiny btn--primary" disabled={running || !urlOk} onClick={() => void create()} title={urlOk ? undefined : 'Kling takes the sample only from a public address: give one'}>
          {running ? 'Creating…' : price === 'price not published' ? 'Create voice' : `Create voice · ${price}`}
        </button>
        <button type="button" className="btn btn--tiny btn--ghost" disabled={running} onClick={onDone}>
          Cancel
        </button>
        {running && progress && !progress.done ? <span className="lib-confirm__progress">{progress.label}</span> : null}
      </div>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The sample row and, once there is a sample, "Create on fal.ai" / "Create on Kling" with their confirmation. */
export function VoiceSample({ voice }: { voice: Voice }) {
  const [asking, setAsking] = useState<VoiceCreateProvider | null>(null);
  return (
    <>
      <SampleRow voice={voice} />
      <div className="lib-row">
        {VOICE_CREATE_PROVIDERS.map((p) => (
          <button
            key={p}
            type="button"
            className="btn btn--tiny btn--secondary"
            disabled={!voice.sample || asking !== null}
            title={voice.sample ? `Make a ${VOICE_CREATE_LABEL[p]} voice id from the sample (${voiceCreatePriceText(p)})` : 'Add a sample first'}
            onClick={() => setAsking(p)}
          >
            Create on {VOICE_CREATE_LABEL[p]}
          </button>
        ))}
      </div>
      {asking && voice.sample ? <CreateConfirm voice={voice} provider={asking} onDone={() => setAsking(null)} /> : null}
    </>
  );
}
