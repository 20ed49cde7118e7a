// "Generate N clips for $X.XX?": what a paid generate would send, and to whom, before anything is charged.
// The lines, the skipped shots and the total are the core's own plan (jobs.estimate), so what the person
// confirms is what is sent; the core refuses the batch if it would now cost more than the confirmed total.
// For selected shots, a tier can be chosen here: regenerating a current take at another tier is this
// explicit, priced action (switching the toolbar's tier never makes a take stale). So is the number of
// takes per shot (variations, 1–4): each is its own request, listed and priced here before it is sent.
import { useState } from 'react';
import { CAPABILITIES, type TierId } from '../../../../shared/capabilities';
import { formatUsd, usdColumn } from '../../../../shared/pricing';
import { draftsNote } from '../../../../shared/take-currency';
import { useServices, useStudio } from '../../app/studio-context';
import { PROVIDER_LABELS } from '../../domain/providers';
import { Modal } from '../notices/modal';
import { priceSourcesText, skippedLines, useGenerateFlow, type PendingGenerate } from './generate-flow';
import './confirm-generate.css';

export function ConfirmGenerateDialog() {
  const open = useStudio((s) => s.dialog === 'confirm-generate');
  const pending = useGenerateFlow((s) => s.pending);
  if (!open || !pending) return null;
  return <ConfirmGenerate />;
}

const TIER_NAMES: Record<TierId, string> = { standard: 'Standard', pro: 'Pro', '4k': '4K' };

function tierSummary(lines: PendingGenerate['estimate']['lines']): string {
  const tiers = [...new Set(lines.map((l) => l.tier))];
  return tiers.map((t) => TIER_NAMES[t]).join(' and ') || 'Standard';
}

/** A line's label; several takes of one request are told apart ("shot 2 “Storm” · take 2 of 3"). */
export function variationLabel(lines: PendingGenerate['estimate']['lines'], i: number): string {
  const same = lines.filter((l) => l.key === lines[i].key).length;
  if (same < 2) return lines[i].label;
  const nth = lines.slice(0, i + 1).filter((l) => l.key === lines[i].key).length;
  return `${lines[i].label} · take ${nth} of ${same}`;
}

function ConfirmGenerate() {
  const { store, commands, client } = useServices();
  const pending = useGenerateFlow((s) => s.pending)!;
  const [sending, setSending] = useState(false);
  const [pricing, setPricing] = useState(false);
  const [priceError, setPriceError] = useState<string | null>(null);
  const { estimate } = pending;
  const usd = usdColumn(estimate.lines.map((l) => l.usd), estimate.estimatedUsd);
  const total = usd(estimate.estimatedUsd);
  const n = estimate.requests;
  const skipped = skippedLines(estimate);
  const tiers = CAPABILITIES[estimate.provider].tiers;

  const close = () => {
    store.getState().openDialog(null);
    useGenerateFlow.getState().setPending(null);
  };
  const confirm = async () => {
    setSending(true);
    close();
    await commands.generate(pending.shotIds, {
      ...(pending.tier ? { tier: pending.tier } : {}),
      ...(pending.variations && pending.variations > 1 ? { variations: pending.variations } : {}),
      expectedUsd: estimate.estimatedUsd,
    });
  };
  // Another tier or number of takes for the selected shots: priced by the core before it can be confirmed.
  const reprice = async (change: { tier?: TierId | null; variations?: number }) => {
    const tier = change.tier === null ? undefined : (change.tier ?? pending.tier);
    const variations = change.variations ?? pending.variations ?? 1;
    setPricing(true);
    setPriceError(null);
    try {
      const next = await client.invoke('jobs.estimate', { shotIds: pending.shotIds, ...(tier ? { tier } : {}), ...(variations > 1 ? { variations } : {}) });
      useGenerateFlow.getState().setPending({ shotIds: pending.shotIds, ...(tier ? { tier } : {}), ...(variations > 1 ? { variations } : {}), estimate: next });
    } catch (err) {
      setPriceError(`Could not price that (${err instanceof Error ? err.message : String(err)}); nothing was sent.`);
    } finally {
      setPricing(false);
    }
  };

  return (
    <Modal
      size="narrow"
      title={`Generate ${n} clip${n === 1 ? '' : 's'} for ${total}?`}
      onClose={close}
      footer={
        <>
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="button" className="btn btn--primary" data-autofocus disabled={sending || pricing || n === 0} onClick={() => void confirm()}>
            Generate for {total}
          </button>
        </>
      }
    >
      <p className="confirm__lead">
        {n === 1 ? 'One request goes' : `${n} requests go`} to <strong>{PROVIDER_LABELS[estimate.provider]}</strong> ({tierSummary(estimate.lines)}). The
        provider charges your account; the figures are estimates.
      </p>
      {estimate.priceSources.length ? (
        <p className="confirm__note" data-testid="price-source">
          Priced from {priceSourcesText(estimate)}.
        </p>
      ) : null}
      {estimate.draftShots > 0 ? (
        <p className="confirm__note" data-testid="drafts-note">
          {draftsNote(estimate.draftShots)}: {PROVIDER_LABELS[estimate.provider]} generates {estimate.draftShots === 1 ? 'it' : 'them'}.
        </p>
      ) : null}
      {pending.shotIds ? (
        <label className="confirm__tier">
          <span>Tier</span>
          <select value={pending.tier ?? ''} disabled={pricing || sending} onChange={(e) => void reprice({ tier: e.target.value ? (e.target.value as TierId) : null })} aria-label="Tier for these takes">
            <option value="">Each shot’s own</option>
            {tiers.map((t) => (
              <option key={t} value={t}>
                {TIER_NAMES[t]}
              </option>
            ))}
          </select>
          <span className="confirm__pricing">{pricing ? 'Pricing…' : 'Each request is a new take; current takes are kept.'}</span>
        </label>
      ) : null}
      {pending.shotIds ? (
        <label className="confirm__tier">
          <span>Takes</span>
          <select
            value={String(pending.variations ?? 1)}
            disabled={pricing || sending}
            onChange={(e) => void reprice({ variations: Number(e.target.value) })}
            aria-label="Takes per shot"
          >
            {[1, 2, 3, 4].map((k) => (
              <option key={k} value={k}>
                {k === 1 ? '1 take per shot' : `${k} takes per shot`}
              </option>
            ))}
          </select>
          <span className="confirm__pricing">Variations: each take is its own request, priced below; pick the best in Compare.</span>
        </label>
      ) : null}
      {priceError ? <p className="confirm__error">{priceError}</p> : null}
      <ul className="confirm__list" aria-label="Requests to send">
        {estimate.lines.map((l, i) => (
          <li key={`${l.key}:${i}`} className="confirm__line">
            <span className="confirm__label">{variationLabel(estimate.lines, i)}</span>
            <span className="confirm__dur">{l.durationSec} s</span>
            <span className="confirm__usd">{usd(l.usd)}</span>
          </li>
        ))}
        <li className="confirm__line confirm__line--total">
          <span className="confirm__label">Total</span>
          <span className="confirm__dur" />
          <span className="confirm__usd">{total}</span>
        </li>
      </ul>
      {skipped.length ? (
        <div className="confirm__skipped" role="group" aria-label="Skipped shots">
          <p className="confirm__skipped-title">
            Not sent — fix in the inspector first:
          </p>
          <ul>
            {skipped.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {estimate.budget ? (
        <p className="confirm__budget">
          Budget {formatUsd(estimate.budget.budgetUsd)} · {formatUsd(estimate.budget.committedUsd)} already spent or on its way ·{' '}
          {formatUsd(Math.max(0, estimate.budget.budgetUsd - estimate.budget.committedUsd - estimate.estimatedUsd))} left after this
        </p>
      ) : null}
    </Modal>
  );
}
