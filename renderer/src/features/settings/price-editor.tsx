// Settings → Prices: your own price per provider × tier × audio off / on / voices, beside the published figure
// with its source and date, and a way back to it. Kept in this computer's settings (the account's rate belongs
// with its key, not inside a project folder); every estimate then says "your price, set …" where it used one.
import { useEffect, useState } from 'react';
import type { AppSettings } from '../../../../shared/api';
import { CAPABILITIES, CLOUD_PROVIDER_IDS, type CloudProviderId, type TierId } from '../../../../shared/capabilities';
import { MAX_PRICE_USD_PER_SEC } from '../../../../shared/limits';
import { PRICE_KIND_LABELS, PRICE_KINDS, PRICING, type PriceKind, type RateCard } from '../../../../shared/pricing';
import { useServices, useStudio } from '../../app/studio-context';
import { PROVIDER_LABELS } from '../../domain/providers';
import { useGenerateFlow } from '../toolbar/generate-flow';

const TIER_NAMES: Record<TierId, string> = { standard: 'Standard', pro: 'Pro', '4k': '4K' };
type Prices = AppSettings['prices'];

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
/** A figure as typed and shown: USD per second, no trailing zeros ("0.126"). */
const perSec = (usd: number) => String(Math.round(usd * 1000) / 1000);

export function PriceEditor() {
  const { client } = useServices();
  const projectProvider = useStudio((s) => s.doc?.project.settings.provider);
  const [prices, setPrices] = useState<Prices | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [chosen, setChosen] = useState<CloudProviderId | undefined>();
  useEffect(() => {
    client
      .invoke('app.settings', {})
      .then((s) => setPrices(s.prices))
      .catch((err) => setLoadError(message(err)));
  }, [client]);
  const provider: CloudProviderId = chosen ?? (projectProvider && projectProvider !== 'animatic' ? projectProvider : 'fal');
  const tiers = CAPABILITIES[provider].tiers.filter((t) => PRICING[provider][t]);

  /** Sends one price (null = the published one again); answers with the refusal, if any. */
  const save = async (tier: TierId, kind: PriceKind, usdPerSec: number | null): Promise<string | undefined> => {
    try {
      const next = await client.invoke('app.updateSettings', { price: { provider, tier, kind, usdPerSec } });
      setPrices(next.prices);
      // The toolbar's estimate is asked again: it may now come from another table.
      useGenerateFlow.getState().repriced();
      return undefined;
    } catch (err) {
      return message(err);
    }
  };

  return (
    <div className="prices settings__wide">
      <label className="prices__provider">
        <span>Provider</span>
        <select className="input settings__select" value={provider} onChange={(e) => setChosen(e.target.value as CloudProviderId)} aria-label="Provider to price">
          {CLOUD_PROVIDER_IDS.map((id) => (
            <option key={id} value={id}>
              {PROVIDER_LABELS[id]}
            </option>
          ))}
        </select>
        <span className="prices__unit">USD per second of video</span>
      </label>
      {loadError ? <p className="field__error">Could not read your prices: {loadError}</p> : null}
      <table className="prices__table" aria-label={`${PROVIDER_LABELS[provider]} prices`}>
        <thead>
          <tr>
            <th scope="col">Tier</th>
            {PRICE_KINDS.map((k) => (
              <th key={k} scope="col">
                {PRICE_KIND_LABELS[k][0].toUpperCase() + PRICE_KIND_LABELS[k].slice(1)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tiers.map((tier) => {
            const card = PRICING[provider][tier]!;
            return (
              <TierRow key={`${provider}:${tier}`} provider={provider} tier={tier} card={card} mine={prices?.[provider]?.[tier]} disabled={!prices} save={save} />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function TierRow({
  provider,
  tier,
  card,
  mine,
  disabled,
  save,
}: {
  provider: CloudProviderId;
  tier: TierId;
  card: RateCard;
  mine: Prices[string][string] | undefined;
  disabled: boolean;
  save: (tier: TierId, kind: PriceKind, usdPerSec: number | null) => Promise<string | undefined>;
}) {
  return (
    <>
      <tr className="prices__row">
        <th scope="row">{TIER_NAMES[tier]}</th>
        {PRICE_KINDS.map((kind) => (
          <td key={kind}>
            <PriceCell provider={provider} tier={tier} kind={kind} published={card[kind]} mine={mine?.[kind]} disabled={disabled} save={save} />
          </td>
        ))}
      </tr>
      <tr className="prices__source-row">
        <td />
        <td colSpan={PRICE_KINDS.length} className="prices__source">
          Published: {card.source}, {card.asOf}
          {card.uncertain ? ' — a stand-in, no first-party price was found' : ''}
        </td>
      </tr>
    </>
  );
}

function PriceCell({
  provider,
  tier,
  kind,
  published,
  mine,
  disabled,
  save,
}: {
  provider: CloudProviderId;
  tier: TierId;
  kind: PriceKind;
  published: number;
  mine: { usdPerSec: number; setAt: string } | undefined;
  disabled: boolean;
  save: (tier: TierId, kind: PriceKind, usdPerSec: number | null) => Promise<string | undefined>;
}) {
  const value = mine ? perSec(mine.usdPerSec) : '';
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(value), [value]);
  const name = `${PROVIDER_LABELS[provider]} ${TIER_NAMES[tier]}, ${PRICE_KIND_LABELS[kind]}`;
  const send = async (usdPerSec: number | null) => {
    setBusy(true);
    const err = await save(tier, kind, usdPerSec);
    setBusy(false);
    setError(err);
  };
  const commit = () => {
    const text = draft.trim();
    if (text === value) return setError(undefined);
    if (text === '') return void send(null);
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0 || n > MAX_PRICE_USD_PER_SEC) {
      setError(`Enter USD per second from 0 to ${MAX_PRICE_USD_PER_SEC}, like ${perSec(published)}. ${mine ? 'Your price' : 'The published price'} is kept.`);
      return;
    }
    void send(n);
  };
  return (
    <div className={`prices__cell${mine ? ' prices__cell--mine' : ''}${error ? ' field--invalid' : ''}`}>
      <input
        className="input prices__input"
        type="number"
        min={0}
        max={MAX_PRICE_USD_PER_SEC}
        step={0.001}
        value={draft}
        placeholder={perSec(published)}
        disabled={disabled}
        aria-label={`${name} (USD per second)`}
        aria-invalid={Boolean(error)}
        aria-busy={busy}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
      {mine ? (
        <span className="prices__note">
          Your price, set {mine.setAt} · published {perSec(published)}{' '}
          <button type="button" className="btn btn--tiny" disabled={busy} onClick={() => void send(null)} aria-label={`Reset ${name} to the published price`}>
            Reset to the published price
          </button>
        </span>
      ) : (
        <span className="prices__note">Published {perSec(published)}</span>
      )}
      {error ? (
        <span className="field__error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
