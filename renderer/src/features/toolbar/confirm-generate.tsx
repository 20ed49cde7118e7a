// "Generate N clips for $X.XX?": what a paid generate would send, and to whom, before anything is charged.
import { useMemo, useState } from 'react';
import { formatUsd } from '../../../../shared/pricing';
import { useServices, useStudio } from '../../app/studio-context';
import { PROVIDER_LABELS } from '../../domain/providers';
import { Modal } from '../notices/modal';
import { requestLines, useGenerateFlow } from './generate-flow';

export function ConfirmGenerateDialog() {
  const open = useStudio((s) => s.dialog === 'confirm-generate');
  const pending = useGenerateFlow((s) => s.pending);
  if (!open || !pending) return null;
  return <ConfirmGenerate />;
}

function ConfirmGenerate() {
  const { store, commands } = useServices();
  const pending = useGenerateFlow((s) => s.pending)!;
  const project = useStudio((s) => s.doc?.project);
  const [sending, setSending] = useState(false);
  // The list as it was when the dialog opened: what the person confirms is what the estimate said.
  const lines = useMemo(() => (project ? requestLines(project, pending.shotIds) : []), [pending]);
  const { estimate } = pending;
  const total = formatUsd(estimate.estimatedUsd);
  const n = estimate.requests;
  const tier = project?.settings.tier ?? 'standard';

  const close = () => {
    store.getState().openDialog(null);
    useGenerateFlow.getState().setPending(null);
  };
  const confirm = async () => {
    setSending(true);
    close();
    await commands.generate(pending.shotIds);
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
          <button type="button" className="btn btn--primary" data-autofocus disabled={sending} onClick={() => void confirm()}>
            Generate for {total}
          </button>
        </>
      }
    >
      <p className="confirm__lead">
        {n === 1 ? 'One request goes' : `${n} requests go`} to <strong>{PROVIDER_LABELS[estimate.provider]}</strong> ({tier}). The provider charges
        your account; the figures are estimates from its price list.
      </p>
      <ul className="confirm__list" aria-label="Requests to send">
        {lines.map((l) => (
          <li key={l.key} className="confirm__line">
            <span className="confirm__label">{l.label}</span>
            <span className="confirm__dur">{l.durationSec} s</span>
            <span className="confirm__usd">{formatUsd(l.usd)}</span>
          </li>
        ))}
        <li className="confirm__line confirm__line--total">
          <span className="confirm__label">Total</span>
          <span className="confirm__dur" />
          <span className="confirm__usd">{total}</span>
        </li>
      </ul>
      {estimate.budget ? (
        <p className="confirm__budget">
          Budget {formatUsd(estimate.budget.budgetUsd)} · {formatUsd(estimate.budget.committedUsd)} already spent or on its way ·{' '}
          {formatUsd(Math.max(0, estimate.budget.budgetUsd - estimate.budget.committedUsd - estimate.estimatedUsd))} left after this
        </p>
      ) : null}
    </Modal>
  );
}
