import { useEffect, useRef } from 'react';
import type { Project, ProviderId, Tier } from '../../../../shared/schema';
import { CAPABILITIES, PROVIDER_IDS } from '../../../../shared/capabilities';
import { isInFlight } from '../../../../shared/job-status';
import { formatDuration } from '../../../../shared/time';
import { totalDurationSec } from '../../../../shared/schema';
import { formatUsd } from '../../../../shared/pricing';
import { useCommands, useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { MOD_KEY, isMac } from '../../components/platform';
import { PROVIDER_LABELS } from '../../domain/providers';
import { selectNeedsGenerationCount, selectSaveState } from '../../store/selectors';
import { ExportButton } from '../export/export-dialog';
import { ProjectsButton } from '../projects/projects-dialog';
import { useProviders } from '../settings/providers-store';
import { budgetBlock, describeProblems, requestGenerate, priceSourcesText, skippedLines, useGenerateFlow } from './generate-flow';
import './toolbar.css';

function ProjectTitle() {
  // Primitive selectors: useShallow on an object allocates on every store change, and there are many.
  const name = useStudio((s) => s.doc?.project.name ?? '');
  const folderName = useStudio((s) => s.doc?.folderName ?? '');
  return (
    <div className="toolbar__project">
      <span className="toolbar__logo" aria-hidden="true">
        <Icon name="film" size={18} />
      </span>
      <div className="toolbar__names" title={folderName ? `${name} · ${folderName}` : undefined}>
        <h1 className="toolbar__name">{name || 'Storyreel'}</h1>
        {folderName ? <span className="toolbar__folder">{folderName}</span> : null}
      </div>
    </div>
  );
}

/** Keeps the live estimate of "Generate all" fresh: asked of the core a moment after the document or the jobs change. */
function useLiveEstimate() {
  const { client } = useServices();
  const key = useStudio((s) => {
    let flying = 0;
    for (const j of s.jobs.values()) if (isInFlight(j.status)) flying++;
    return s.doc ? `${s.doc.rev}:${flying}:${s.jobs.size}` : '';
  });
  const connected = useStudio((s) => s.connection.status === 'open');
  const pricesRev = useGenerateFlow((s) => s.pricesRev);
  const seq = useRef(0);
  useEffect(() => {
    if (!key || !connected) return;
    const mine = ++seq.current;
    const t = setTimeout(() => {
      client
        .invoke('jobs.estimate', { summary: true })
        .then((estimate) => {
          if (mine === seq.current) useGenerateFlow.setState({ live: estimate });
        })
        .catch(() => {
          /* The toolbar keeps the last figure; generating asks again and reports any error. */
        });
    }, 250);
    return () => clearTimeout(t);
  }, [client, key, connected, pricesRev]);
}

/** How a provider is named in a list of choices (the toolbar shows the plain name of the chosen one). */
export function providerOption(id: ProviderId, configured: boolean): string {
  if (id === 'animatic') return 'Animatic — local, free';
  return `${PROVIDER_LABELS[id]}${configured ? '' : ' (no key)'}`;
}

/** A native select laid invisibly over its current value, so the toolbar reads as text and still opens a real list. */
function InlineSelect({ id, label, display, title, children, value, onChange }: {
  id: string;
  label: string;
  display: string;
  title: string;
  value: string;
  onChange: (value: string) => void;
  children: React.ReactNode;
}) {
  return (
    <div className="fact fact--control">
      <label className="fact__label" htmlFor={id}>
        {label}
      </label>
      <span className="toolbar__picker">
        <span className="toolbar__face" aria-hidden="true">
          {display}
        </span>
        <select id={id} className="toolbar__select" value={value} onChange={(e) => onChange(e.target.value)} title={title}>
          {children}
        </select>
      </span>
    </div>
  );
}

function ProviderPicker() {
  const { client, commands } = useServices();
  const provider = useStudio((s) => s.doc?.project.settings.provider);
  const tier = useStudio((s) => s.doc?.project.settings.tier);
  const list = useProviders((s) => s.list);
  const connected = useStudio((s) => s.connection.status === 'open');
  useEffect(() => {
    if (connected) void useProviders.getState().refresh(client);
  }, [client, connected]);
  if (!provider || !tier) return null;
  const options = list ?? PROVIDER_IDS.map((id) => ({ id, configured: id === provider || !CAPABILITIES[id].paid }));
  return (
    <>
      <InlineSelect
        id="toolbar-provider"
        label="Provider"
        display={PROVIDER_LABELS[provider]}
        value={provider}
        title="Who renders the clips. Providers without a key are off until you add one in Settings."
        onChange={(v) => void commands.mutate('settings.update', { patch: { provider: v as ProviderId } }, 'Could not switch the provider')}
      >
        {options.map((p) => (
          <option key={p.id} value={p.id} disabled={!p.configured && p.id !== provider}>
            {providerOption(p.id, p.configured || p.id === provider)}
          </option>
        ))}
      </InlineSelect>
      <InlineSelect
        id="toolbar-tier"
        label="Tier"
        display={tier === 'pro' ? 'Pro' : 'Standard'}
        value={tier}
        title="Standard is cheaper; Pro costs more per second and looks better. A shot can override it in the inspector."
        onChange={(v) => void commands.mutate('settings.update', { patch: { tier: v as Tier } }, 'Could not change the tier')}
      >
        <option value="standard">Standard</option>
        <option value="pro">Pro</option>
      </InlineSelect>
    </>
  );
}

const totals = new WeakMap<Project, number>();

/** The cut's length, summed once per snapshot rather than on every store change. */
function totalOf(project: Project): number {
  let total = totals.get(project);
  if (total === undefined) {
    total = totalDurationSec(project);
    totals.set(project, total);
  }
  return total;
}

function ProjectFacts() {
  const aspect = useStudio((s) => s.doc?.project.settings.aspectRatio);
  const total = useStudio((s) => (s.doc ? totalOf(s.doc.project) : 0));
  const count = useStudio((s) => s.doc?.project.shots.length ?? 0);
  if (!aspect) return null;
  return (
    <div className="toolbar__facts">
      <ProviderPicker />
      <div className="fact" title={`${formatDuration(total)} · ${count} ${count === 1 ? 'shot' : 'shots'} · ${aspect}`}>
        <span className="fact__label">Cut</span>
        <span className="fact__value" aria-label={`Total duration ${total} seconds`}>
          {formatDuration(total)} <span className="fact__sub toolbar__extra">· {count} {count === 1 ? 'shot' : 'shots'} · {aspect}</span>
        </span>
      </div>
      <CostEstimate />
    </div>
  );
}

function CostEstimate() {
  const live = useGenerateFlow((s) => s.live);
  const budget = useStudio((s) => s.doc?.project.settings.budgetUsd);
  const provider = useStudio((s) => s.doc?.project.settings.provider);
  const free = provider === 'animatic';
  const usd = live?.estimatedUsd ?? 0;
  const requests = live?.requests ?? 0;
  const over = live ? budgetBlock(live) : undefined;
  const text = free ? 'Free' : live && requests === 0 ? 'Nothing pending' : formatUsd(usd);
  const title = free
    ? 'The animatic renders on this computer at no cost'
    : `What the ${requests} request${requests === 1 ? '' : 's'} "Generate all" would send are estimated to cost, from ${live?.priceSources.length ? priceSourcesText(live) : `${provider ? PROVIDER_LABELS[provider] : 'the provider'}'s price list`}`;
  return (
    <div className={`fact toolbar__cost${over ? ' toolbar__cost--over' : ''}`} title={over ?? title}>
      <span className="fact__label">Generate all</span>
      <span className="fact__value" aria-label={`Estimated cost of pending generation: ${text}`} data-testid="pending-estimate">
        {text}
        {!free && requests > 0 ? <span className="fact__sub toolbar__extra"> · {requests} clip{requests === 1 ? '' : 's'}</span> : null}
        {budget !== undefined ? (
          <span className={over ? 'toolbar__budget toolbar__budget--over' : 'fact__sub'}>
            {' '}
            / budget {formatUsd(budget)}
            {live?.budget && live.budget.committedUsd > 0 ? ` (${formatUsd(live.budget.committedUsd)} used)` : ''}
          </span>
        ) : null}
      </span>
    </div>
  );
}

function SaveIndicator() {
  const state = useStudio(selectSaveState);
  const failure = useStudio((s) => s.doc?.saveError);
  const text = { saved: 'Saved', saving: 'Saving…', unsaved: 'Unsaved changes', offline: 'Offline: not saving', failed: 'Not saved' }[state];
  return (
    <span className={`save save--${state}`} role="status" aria-live="polite" title={state === 'failed' ? failure?.message : undefined}>
      <span className="save__dot" aria-hidden="true" />
      {text}
      {/* Where the toolbar is narrow, the rest gives way (the banner below says it whole). */}
      {state === 'failed' ? <span className="save__more"> — edits are only in memory{failure ? `: ${failure.reason}` : ''}</span> : null}
    </span>
  );
}

const REDO_KEYS = isMac ? '⇧⌘Z' : 'Ctrl+Y';

/** "Undo Edit title of shot 1" — the core's label, whether or not it already starts with the verb. */
function historyText(verb: 'Undo' | 'Redo', label: string): string {
  return label.toLowerCase().startsWith(verb.toLowerCase()) ? label : `${verb} ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
}

function UndoRedo() {
  const commands = useCommands();
  const undo = useStudio((s) => s.doc?.history.undo);
  const redo = useStudio((s) => s.doc?.history.redo);
  // The label is the tooltip and description, never the name: "Undo add shot" must not answer to "Add shot".
  const undoText = undo ? historyText('Undo', undo) : 'Undo';
  const redoText = redo ? historyText('Redo', redo) : 'Redo';
  return (
    <div className="toolbar__history" role="group" aria-label="History">
      <button
        type="button"
        className="icon-btn toolbar__icon"
        aria-label="Undo"
        title={undo ? `${undoText} (${MOD_KEY}${isMac ? '' : '+'}Z)` : 'Nothing to undo'}
        disabled={!undo}
        onClick={() => void commands.undo()}
      >
        <Icon name="undo" />
      </button>
      <button
        type="button"
        className="icon-btn toolbar__icon"
        aria-label="Redo"
        title={redo ? `${redoText} (${REDO_KEYS})` : 'Nothing to redo'}
        disabled={!redo}
        onClick={() => void commands.redo()}
      >
        <Icon name="redo" />
      </button>
    </div>
  );
}

function SettingsButton() {
  const { store } = useServices();
  return (
    <button
      type="button"
      className="icon-btn toolbar__icon"
      aria-label="Settings"
      title={`Settings: keys, budget, defaults (${MOD_KEY}${isMac ? '' : '+'},)`}
      onClick={() => store.getState().openDialog('settings')}
    >
      <Icon name="gear" size={17} />
    </button>
  );
}

function HelpButton() {
  const { store } = useServices();
  return (
    <button type="button" className="icon-btn toolbar__icon" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => store.getState().openDialog('shortcuts')}>
      <Icon name="keyboard" size={17} />
    </button>
  );
}

/** Why "Generate all" is off, or undefined when it may run. */
export function useGenerateBlock(): { reason: string; kind: 'idle' | 'budget' | 'problems' } | undefined {
  const count = useStudio(selectNeedsGenerationCount);
  const hasShots = useStudio((s) => (s.doc?.project.shots.length ?? 0) > 0);
  const live = useGenerateFlow((s) => s.live);
  if (!hasShots) return { reason: 'Add a shot first', kind: 'idle' };
  if (count === 0) return { reason: 'Every shot has a take for its current settings', kind: 'idle' };
  // One bad shot does not block the rest: only when nothing valid is left is the button off.
  if (live && live.requests === 0 && live.problems.length > 0) {
    return { reason: `Fix first: ${describeProblems(live.problems).join(' · ')}`, kind: 'problems' };
  }
  const over = live ? budgetBlock(live) : undefined;
  if (over) return { reason: over, kind: 'budget' };
  return undefined;
}

function GenerateAllButton() {
  const services = useServices();
  const count = useStudio(selectNeedsGenerationCount);
  const block = useGenerateBlock();
  const live = useGenerateFlow((s) => s.live);
  // Shots a problem keeps back are counted as needing a take, and said to be skipped.
  const skips = live && live.requests > 0 ? skippedLines(live).length : 0;
  const skipped = skips ? `; skips ${skips === 1 ? 'one problem' : `${skips} problems`} (see the note under the toolbar)` : '';
  return (
    <button
      type="button"
      className="btn btn--primary"
      disabled={Boolean(block)}
      onClick={() => void requestGenerate(services)}
      title={block ? block.reason : `Generate ${count} shot${count === 1 ? '' : 's'} that need a take${skipped}`}
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

/** A visible line under the toolbar while "Generate all" is blocked by the budget or by invalid shots, or skips some. */
export function GenerateBlockNote() {
  const { store } = useServices();
  const block = useGenerateBlock();
  const live = useGenerateFlow((s) => s.live);
  const count = useStudio(selectNeedsGenerationCount);
  if (!block && live && live.requests > 0 && live.problems.length > 0 && count > 0) {
    const skipped = skippedLines(live);
    return (
      <div className="banner banner--warn generate-note" role="note" aria-label="Shots Generate all skips">
        <Icon name="alert" />
        <span>
          <strong>Generate all skips</strong> {skipped.join(' · ')}. The other shots are generated.
        </span>
      </div>
    );
  }
  if (!block || block.kind === 'idle') return null;
  return (
    <div className={`banner ${block.kind === 'budget' ? 'banner--warn' : 'banner--warn'} generate-note`} role="note" aria-label="Why Generate all is off">
      <Icon name="alert" />
      <span>
        <strong>Generate all is off.</strong> {block.reason}.
      </span>
      {block.kind === 'budget' ? (
        <button type="button" className="btn btn--tiny" onClick={() => store.getState().openDialog('settings')}>
          Open Settings
        </button>
      ) : null}
    </div>
  );
}

export function Toolbar() {
  useLiveEstimate();
  return (
    <header className="toolbar">
      <ProjectTitle />
      <ProjectFacts />
      <div className="toolbar__spacer" />
      <UndoRedo />
      <SaveIndicator />
      <div className="toolbar__tools">
        <ProjectsButton />
        <HelpButton />
        <SettingsButton />
      </div>
      <ExportButton />
      <GenerateAllButton />
    </header>
  );
}
