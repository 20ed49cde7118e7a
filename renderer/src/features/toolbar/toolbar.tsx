import { useShallow } from 'zustand/react/shallow';
import { formatDuration } from '../../../../shared/time';
import { totalDurationSec } from '../../../../shared/schema';
import { useCommands, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { PROVIDER_LABELS } from '../../domain/providers';
import { selectNeedsGenerationCount, selectPendingEstimate, selectSaveState } from '../../store/selectors';
import { formatUsd } from '../../../../shared/pricing';

function ProjectTitle() {
  const { name, folderName } = useStudio(useShallow((s) => ({ name: s.doc?.project.name ?? '', folderName: s.doc?.folderName ?? '' })));
  return (
    <div className="toolbar__project">
      <span className="toolbar__logo" aria-hidden="true">
        <Icon name="film" size={18} />
      </span>
      <div className="toolbar__names">
        <h1 className="toolbar__name">{name || 'Storyreel'}</h1>
        {folderName ? <span className="toolbar__folder">{folderName}</span> : null}
      </div>
    </div>
  );
}

function ProjectFacts() {
  const { provider, tier, aspect, total, count } = useStudio(
    useShallow((s) => ({
      provider: s.doc?.project.settings.provider,
      tier: s.doc?.project.settings.tier,
      aspect: s.doc?.project.settings.aspectRatio,
      total: s.doc ? totalDurationSec(s.doc.project) : 0,
      count: s.doc?.project.shots.length ?? 0,
    })),
  );
  if (!provider) return null;
  return (
    <dl className="toolbar__facts">
      <div className="fact">
        <dt>Provider</dt>
        <dd>{PROVIDER_LABELS[provider]}</dd>
      </div>
      <div className="fact">
        <dt>Format</dt>
        <dd>
          {aspect} · {tier}
        </dd>
      </div>
      <div className="fact">
        <dt>Duration</dt>
        <dd aria-label={`Total duration ${total} seconds`}>
          {formatDuration(total)} <span className="fact__sub">· {count} {count === 1 ? 'shot' : 'shots'}</span>
        </dd>
      </div>
      <CostEstimate />
    </dl>
  );
}

function CostEstimate() {
  const { usd, requests } = useStudio(useShallow(selectPendingEstimate));
  const budget = useStudio((s) => s.doc?.project.settings.budgetUsd);
  const paid = useStudio((s) => (s.doc ? s.doc.project.settings.provider !== 'animatic' : false));
  const text = paid ? formatUsd(usd) : 'Free';
  return (
    <div className="fact toolbar__cost" title={paid ? `Estimated cost of the ${requests} request${requests === 1 ? '' : 's'} "Generate all" would send, from the provider's price list` : 'The animatic renders on this computer at no cost'}>
      <dt>Pending</dt>
      <dd aria-label={`Estimated cost of pending generation: ${text}`}>
        {text}
        {budget !== undefined ? <span className="fact__sub"> · budget {formatUsd(budget)}</span> : null}
      </dd>
    </div>
  );
}

function SaveIndicator() {
  const state = useStudio(selectSaveState);
  const text = { saved: 'Saved', saving: 'Saving…', unsaved: 'Unsaved changes', offline: 'Offline: not saving' }[state];
  return (
    <span className={`save save--${state}`} role="status" aria-live="polite">
      <span className="save__dot" aria-hidden="true" />
      {text}
    </span>
  );
}

function GenerateAllButton() {
  const commands = useCommands();
  const count = useStudio(selectNeedsGenerationCount);
  const hasShots = useStudio((s) => (s.doc?.project.shots.length ?? 0) > 0);
  return (
    <button
      type="button"
      className="btn btn--primary"
      disabled={!hasShots || count === 0}
      onClick={() => void commands.generate()}
      title={count === 0 ? 'Every shot has a take for its current settings' : `Generate ${count} shot${count === 1 ? '' : 's'} that need a take`}
    >
      <Icon name="spark" />
      Generate all
      <span className="btn__count" aria-hidden="true">
        {count}
      </span>
      <span className="sr-only">({count} {count === 1 ? 'shot needs' : 'shots need'} a take)</span>
    </button>
  );
}

export function Toolbar() {
  return (
    <header className="toolbar">
      <ProjectTitle />
      <ProjectFacts />
      <div className="toolbar__spacer" />
      <SaveIndicator />
      <GenerateAllButton />
    </header>
  );
}
