// Settings (gear in the toolbar, ⌘,): provider keys and base URLs, this computer's settings, and the
// project's budget and defaults. Keys go to the core and never come back: after saving, the field is
// emptied and only the hint the core gives ("····1234") is shown.
import { useEffect, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AppSettings, MethodInput } from '../../../../shared/api';
import { CLOUD_PROVIDER_IDS, PROVIDER_IDS } from '../../../../shared/capabilities';
import type { AspectRatio, ProviderId, Tier } from '../../../../shared/schema';
import { useServices, useStudio } from '../../app/studio-context';
import { Field } from '../../components/field';
import { Modal } from '../notices/modal';
import { providerOption } from '../toolbar/toolbar';
import { CommitInput } from './commit-input';
import { PriceEditor } from './price-editor';
import { ProviderKeys, type CloudId } from './provider-keys';
import { useProviders } from './providers-store';
import './settings.css';

const CLOUD: CloudId[] = CLOUD_PROVIDER_IDS;

const STORAGE_TEXT: Record<AppSettings['keyStorage'], string> = {
  keychain: 'Keys are saved in this computer’s keychain, never in the project folder.',
  'config-file': 'Saved in Storyreel’s settings file on this computer (~/.config/storyreel unless STORYREEL_CONFIG_DIR says otherwise), readable only by you — never in the project folder.',
  environment: 'Keys come from the environment that runs Storyreel and cannot be changed here.',
};

type SettingsPatch = MethodInput<'settings.update'>['patch'];

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function SettingsDialog() {
  const open = useStudio((s) => s.dialog === 'settings');
  if (!open) return null;
  return <Settings />;
}

function Settings() {
  const { store } = useServices();
  const close = () => store.getState().openDialog(null);
  return (
    <Modal
      title="Settings"
      onClose={close}
      className="settings"
      footer={
        <>
          <span className="modal__foot-note">Each change is saved as you make it.</span>
          <button type="button" className="btn" onClick={close}>
            Done
          </button>
        </>
      }
    >
      <ProjectSection />
      <ProvidersSection />
      <Section title="Prices" lead="Your own price for any figure (a negotiated rate, a price change), kept on this computer for every project. Empty = the published price. Estimates say which they used.">
        <PriceEditor />
      </Section>
      <ComputerSection />
    </Modal>
  );
}

function Section({ title, lead, children }: { title: string; lead?: ReactNode; children: ReactNode }) {
  return (
    <section className="settings__section" aria-label={title}>
      <h3 className="settings__heading">{title}</h3>
      {lead ? <p className="settings__lead">{lead}</p> : null}
      <div className="settings__grid">{children}</div>
    </section>
  );
}

function ProjectSection() {
  const { client, store } = useServices();
  const settings = useStudio(useShallow((s) => s.doc?.project.settings));
  const providers = useProviders((s) => s.list);
  if (!settings) return null;
  const update = async (patch: SettingsPatch): Promise<string | undefined> => {
    const seq = store.getState().beginMutation();
    try {
      const result = await client.invoke('settings.update', { patch });
      store.getState().endMutation(seq, result);
      return undefined;
    } catch (err) {
      store.getState().endMutation(seq);
      return `${message(err)}`;
    }
  };
  const d = settings.shotDefaults;
  return (
    <Section title="This project" lead="Saved in project.json; undo reverses each change.">
      <CommitInput
        label="Budget (USD)"
        type="number"
        value={settings.budgetUsd === undefined ? '' : String(settings.budgetUsd)}
        placeholder="No budget"
        hint="Generate stops before a request would pass it. Empty = no budget."
        inputProps={{ min: 0, step: 0.5 }}
        commit={(text) => {
          const t = text.trim();
          if (t === '') return update({ budgetUsd: null });
          const n = Number(t);
          if (!Number.isFinite(n) || n < 0) return Promise.resolve('Enter an amount in dollars, like 20 or 7.50 (or leave it empty for no budget).');
          return update({ budgetUsd: Math.round(n * 100) / 100 });
        }}
      />
      <SelectField
        label="Default provider"
        value={settings.provider}
        onChange={(v) => update({ provider: v as ProviderId })}
        options={PROVIDER_IDS.map((id) => {
          const status = providers?.find((p) => p.id === id);
          const off = status ? !status.configured && id !== settings.provider : false;
          return { value: id, label: providerOption(id, !off), disabled: off };
        })}
      />
      <SelectField
        label="Default tier"
        value={settings.tier}
        onChange={(v) => update({ tier: v as Tier })}
        options={[
          { value: 'standard', label: 'Standard' },
          { value: 'pro', label: 'Pro' },
        ]}
      />
      <SelectField
        label="Aspect ratio"
        value={settings.aspectRatio}
        onChange={(v) => update({ aspectRatio: v as AspectRatio })}
        options={[
          { value: '16:9', label: '16:9 landscape' },
          { value: '9:16', label: '9:16 portrait' },
          { value: '1:1', label: '1:1 square' },
        ]}
      />
      <label className="settings__check">
        <input type="checkbox" checked={settings.nativeAudio} onChange={(e) => void update({ nativeAudio: e.target.checked })} />
        <span>
          Native audio by default
          <span className="settings__check-hint">Providers that can add sound to a clip charge more per second for it.</span>
        </span>
      </label>
      <h4 className="settings__sub settings__wide">Defaults for new shots</h4>
      <CommitInput
        label="Duration (s)"
        type="number"
        value={String(d.durationSec)}
        hint="3–15 seconds"
        inputProps={{ min: 3, max: 15, step: 1 }}
        commit={(text) => {
          const n = Number(text);
          if (!Number.isInteger(n) || n < 3 || n > 15) return Promise.resolve('A whole number of seconds from 3 to 15.');
          return update({ shotDefaults: { durationSec: n } });
        }}
      />
      <CommitInput
        label="CFG scale"
        type="number"
        value={String(d.cfgScale)}
        hint="0–1: how closely to follow the prompt"
        inputProps={{ min: 0, max: 1, step: 0.05 }}
        commit={(text) => {
          const n = Number(text);
          if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) return Promise.resolve('A number from 0 to 1, like 0.5.');
          return update({ shotDefaults: { cfgScale: n } });
        }}
      />
      <CommitInput
        label="Negative prompt"
        wide
        value={d.negativePrompt}
        placeholder="blur, distortion, text"
        commit={(text) => update({ shotDefaults: { negativePrompt: text } })}
      />
    </Section>
  );
}

function SelectField({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: { value: string; label: string; disabled?: boolean }[];
  onChange: (value: string) => Promise<string | undefined>;
}) {
  const [error, setError] = useState<string | undefined>();
  return (
    <Field label={label} error={error}>
      {(control) => (
        <select {...control} className="input settings__select" value={value} onChange={(e) => void onChange(e.target.value).then(setError)}>
          {options.map((o) => (
            <option key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function ProvidersSection() {
  const { client } = useServices();
  const list = useProviders((s) => s.list);
  const listError = useProviders((s) => s.error);
  const [storage, setStorage] = useState<AppSettings['keyStorage'] | undefined>();
  // A browser page may set fewer base URLs than the desktop app (plain HTTP only on this computer).
  const [from, setFrom] = useState<'electron' | 'browser'>('browser');
  useEffect(() => {
    void useProviders.getState().refresh(client);
    client
      .invoke('app.settings', {})
      .then((s) => setStorage(s.keyStorage))
      .catch(() => {});
    client
      .invoke('app.info', {})
      .then((info) => setFrom(info.host))
      .catch(() => {});
  }, [client]);
  return (
    <Section title="Providers" lead={storage ? STORAGE_TEXT[storage] : 'The animatic renders on this computer and needs no key.'}>
      {listError ? <p className="field__error settings__wide">Could not read the providers: {listError}</p> : null}
      {CLOUD.map((id) => (
        <ProviderKeys key={id} id={id} status={list?.find((p) => p.id === id)} readOnly={storage === 'environment'} from={from} />
      ))}
    </Section>
  );
}

function ComputerSection() {
  const { client } = useServices();
  const [settings, setSettings] = useState<AppSettings | undefined>();
  const [ffmpeg, setFfmpeg] = useState<string | undefined>();
  const [concurrencyError, setConcurrencyError] = useState<string | undefined>();
  useEffect(() => {
    client
      .invoke('app.settings', {})
      .then(setSettings)
      .catch(() => {});
    client
      .invoke('app.info', {})
      .then((info) => setFfmpeg(info.ffmpeg ? `Using ffmpeg ${info.ffmpeg.version} (${info.ffmpeg.ffmpegPath})` : (info.ffmpegError ?? 'ffmpeg was not found.')))
      .catch(() => {});
  }, [client]);
  if (!settings) return null;
  const update = async (patch: { concurrency?: number; ffmpegPath?: string | null }): Promise<string | undefined> => {
    try {
      setSettings(await client.invoke('app.updateSettings', patch));
      if ('ffmpegPath' in patch) {
        const info = await client.invoke('app.info', {});
        setFfmpeg(info.ffmpeg ? `Using ffmpeg ${info.ffmpeg.version} (${info.ffmpeg.ffmpegPath})` : (info.ffmpegError ?? 'ffmpeg was not found.'));
      }
      return undefined;
    } catch (err) {
      return message(err);
    }
  };
  return (
    <Section title="This computer" lead="Saved in your Storyreel config folder; they apply to every project.">
      <Field label="Requests at once" error={concurrencyError} hint="How many clips render or upload at the same time (1–8).">
        {(control) => (
          <select
            {...control}
            className="input settings__select"
            value={settings.concurrency}
            onChange={(e) => void update({ concurrency: Number(e.target.value) }).then(setConcurrencyError)}
          >
            {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        )}
      </Field>
      <CommitInput
        label="ffmpeg path"
        wide
        value={settings.ffmpegPath ?? ''}
        placeholder="Found automatically"
        hint={ffmpeg ?? 'Empty = found automatically.'}
        commit={(text) => update({ ffmpegPath: text.trim() === '' ? null : text.trim() })}
      />
    </Section>
  );
}
