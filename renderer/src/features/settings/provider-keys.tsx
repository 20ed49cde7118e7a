// One cloud provider in Settings: its key (sent to the core, never shown again: only "····1234") and its
// base URL. A key saved here belongs to the address it was entered for: changing the address asks first,
// and goes ahead only with the key pasted again (Save key sends both) or with the saved key removed.
import { useState } from 'react';
import type { ProviderStatus } from '../../../../shared/api';
import { CAPABILITIES, type CloudProviderId, credentialEnvHint } from '../../../../shared/capabilities';
import { baseUrlProblem, normalizeBaseUrl, type BaseUrlFrom } from '../../../../shared/base-url';
import { useServices } from '../../app/studio-context';
import { Field } from '../../components/field';
import { PROVIDER_LABELS } from '../../domain/providers';
import { CommitInput } from './commit-input';
import { useProviders } from './providers-store';

export type CloudId = CloudProviderId;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function ProviderKeys({ id, status, readOnly, from }: { id: CloudId; status?: ProviderStatus; readOnly: boolean; from: BaseUrlFrom }) {
  const { client } = useServices();
  const caps = CAPABILITIES[id];
  // `alone`: another complete sign-in, enough by itself in place of the other fields (Kling's single API key).
  const fields = [...(caps.altCredentials ?? []).map((f) => ({ ...f, alone: true })), ...caps.credentials.map((f) => ({ ...f, alone: false }))];
  const label = PROVIDER_LABELS[id];
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  /** An address typed while a saved key exists, waiting for the person to decide what happens to the key. */
  const [pendingUrl, setPendingUrl] = useState<string | undefined>();
  /** Remounts the base URL field, so "Keep" puts the current address back in it. */
  const [urlEpoch, setUrlEpoch] = useState(0);
  const has = (name: string) => (draft[name] ?? '').trim() !== '';
  const alone = fields.find((f) => f.alone && has(f.name));
  // The fields that make a complete key: one that stands alone, or all the others.
  const sending = alone ? [alone] : fields.filter((f) => !f.alone);
  const filled = sending.every((f) => has(f.name));
  const keyHere = status?.configured && status.keySource === 'settings';

  const configure = async (input: { credentials?: Record<string, string> | null; baseUrl?: string | null }): Promise<string | undefined> => {
    setBusy(true);
    try {
      useProviders.getState().set(await client.invoke('providers.configure', { provider: id, ...input }));
      return undefined;
    } catch (err) {
      return message(err);
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    const credentials = Object.fromEntries(sending.map((f) => [f.name, draft[f.name].trim()]));
    // With an address waiting, the key pasted now is the key for that address: both go in one change.
    const err = await configure(pendingUrl ? { credentials, baseUrl: pendingUrl } : { credentials });
    setError(err);
    // The key leaves the page: nothing typed stays in the DOM once the core has it.
    if (!err) {
      setDraft({});
      setPendingUrl(undefined);
    }
  };
  const keepAddress = () => {
    setPendingUrl(undefined);
    setUrlEpoch((n) => n + 1);
  };
  const moveWithoutKey = async () => {
    const err = await configure({ baseUrl: pendingUrl });
    setError(err);
    if (!err) setPendingUrl(undefined);
  };

  return (
    <fieldset className="settings__provider settings__wide" aria-label={`${label} settings`}>
      <legend className="settings__provider-name">
        {label}
        {status?.configured ? (
          <span className="settings__configured" data-testid={`${id}-configured`}>
            configured {status.keyHint ?? ''}
          </span>
        ) : (
          <span className="settings__unconfigured">no key</span>
        )}
      </legend>
      <form
        className="settings__keys"
        onSubmit={(e) => {
          e.preventDefault();
          if (filled && !busy) void save();
        }}
      >
        {fields.map((f) => (
          <Field key={f.name} label={`${label} ${f.label}`} error={f === fields[fields.length - 1] ? error : undefined}>
            {(control) => (
              <input
                {...control}
                className="input settings__secret"
                type="password"
                autoComplete="off"
                spellCheck={false}
                disabled={readOnly}
                placeholder={readOnly ? `from ${credentialEnvHint(id)}` : pendingUrl ? 'Paste the key for the new address' : status?.configured ? 'Paste a new key to replace it' : 'Paste your key'}
                value={draft[f.name] ?? ''}
                onChange={(e) => setDraft((d) => ({ ...d, [f.name]: e.target.value }))}
              />
            )}
          </Field>
        ))}
        <div className="settings__key-actions">
          <button type="submit" className="btn btn--tiny btn--secondary" disabled={!filled || busy || readOnly} title={filled ? undefined : `Paste the ${fields.some((f) => f.alone) ? `${fields.filter((f) => f.alone).map((f) => f.label.toLowerCase()).join(', ')}, or the ` : ''}${fields.filter((f) => !f.alone).map((f) => f.label.toLowerCase()).join(' and ')} first`}>
            {pendingUrl ? 'Save key and address' : 'Save key'}
          </button>
          {status?.configured && !readOnly ? (
            <button
              type="button"
              className="btn btn--tiny btn--danger"
              disabled={busy}
              onClick={() => void configure({ credentials: null }).then(setError)}
              aria-label={`Remove ${label} key`}
            >
              Remove key
            </button>
          ) : null}
        </div>
      </form>
      <CommitInput
        key={urlEpoch}
        label={`${label} base URL`}
        type="url"
        value={status?.baseUrl ?? ''}
        placeholder="Provider default"
        hint="Only for a proxy or gateway; empty = the provider’s own address."
        commit={(text) => {
          const next = text.trim() === '' ? null : text.trim();
          // An address the core would refuse is refused here, before anyone is asked about the key.
          const problem = next === null ? undefined : baseUrlProblem(next, from);
          if (problem) return Promise.resolve(problem.message);
          // The saved key was entered for the current address: ask before it could go anywhere else.
          if (next !== null && keyHere && normalizeBaseUrl(next) !== normalizeBaseUrl(status?.baseUrl ?? '')) {
            setPendingUrl(next);
            return Promise.resolve(undefined);
          }
          setPendingUrl(undefined);
          return configure({ baseUrl: next });
        }}
      />
      {pendingUrl ? (
        <div className="settings__confirm" role="alertdialog" aria-label={`Change the ${label} address?`} aria-describedby={`${id}-confirm-text`}>
          <p id={`${id}-confirm-text`}>
            Your saved key {status?.keyHint ?? ''} was entered for <strong>{status?.baseUrl}</strong>. To send {label} requests to{' '}
            <strong>{pendingUrl}</strong>, paste the key again and choose <em>Save key and address</em> — or change the address and remove the
            saved key.
          </p>
          <div className="settings__key-actions">
            <button type="button" className="btn btn--tiny btn--danger" disabled={busy} onClick={() => void moveWithoutKey()}>
              Change address, remove key
            </button>
            <button type="button" className="btn btn--tiny btn--secondary" disabled={busy} onClick={keepAddress}>
              Keep the current address
            </button>
          </div>
        </div>
      ) : null}
    </fieldset>
  );
}
