// The right column: everything one shot can have, in four groups (Shot · Look · References · Audio),
// then its takes. Controls the provider cannot honour are disabled with a reason; the core's pre-flight
// problems sit under the field they concern, the rest in a box at the top.
import { useShallow } from 'zustand/react/shallow';
import { useCommands, useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { MOD_KEY, isMac } from '../../components/platform';
import { StatusPill } from '../../components/status-pill';
import { findShotIndex, selectShotStatus } from '../../store/selectors';
import { LibraryDialog } from '../library/library-dialog';
import { TakesPanel } from '../takes/takes-panel';
import { requestGenerate } from '../toolbar/generate-flow';
import { DialogueField, NativeAudioField, VoicesField } from './audio-fields';
import { InspectorSection } from './inspector-field';
import { AspectRatioField, CfgScaleField, DurationField, TierField } from './look-fields';
import { MultiShotForm } from './multi-shot-form';
import { ElementsField, FrameWell } from './reference-fields';
import { ChainField } from './chain-field';
import { KeyframeField } from './keyframe-field';
import { useState } from 'react';
import { ProblemsContext, useShotCapabilities, useShotProblems } from './shot-hooks';
import { PromptField, TitleField } from './text-fields';
import './inspector.css';

function ShotActions({ shotId }: { shotId: string }) {
  const services = useServices();
  const status = useStudio(selectShotStatus(shotId));
  const busy = status.kind === 'queued' || status.kind === 'generating' || status.kind === 'downloading';
  // Variations: 1–4 takes of this shot, each its own request (priced in the confirmation when it costs money).
  const [count, setCount] = useState(1);
  return (
    <div className="inspector__actions">
      <StatusPill status={status} />
      <div className="shot-actions__go">
        <label className="shot-actions__takes" title="Variations: each take is its own request; compare them and keep the best">
          <select value={count} onChange={(e) => setCount(Number(e.target.value))} aria-label="Takes to generate">
            {[1, 2, 3, 4].map((k) => (
              <option key={k} value={k}>
                {k === 1 ? '1 take' : `${k} takes`}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn btn--secondary"
          disabled={busy}
          title={busy ? 'This shot is already being generated; its take appears below when it is ready.' : undefined}
          // Through the same flow as Generate all: a paid take is confirmed with its cost and checked against the budget.
          onClick={() => void requestGenerate(services, [shotId], count > 1 ? { variations: count } : {})}
          aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
        >
          <Icon name="spark" />
          {count > 1 ? `Generate ${count} takes` : status.kind === 'ready' ? 'New take' : 'Generate shot'}
          <kbd className="kbd">{MOD_KEY}↵</kbd>
        </button>
      </div>
    </div>
  );
}

function ProblemSummary({ other }: { other: string[] }) {
  if (other.length === 0) return null;
  return (
    <div className="inspector__problems" role="status" aria-label="Problems before generating">
      <Icon name="alert" size={14} />
      <div>
        <p className="inspector__problems-title">Fix before generating</p>
        <ul>
          {other.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function ProviderNote({ shotId }: { shotId: string }) {
  const { providerName } = useShotCapabilities(shotId);
  return <span className="isection__note" title="The project's provider (Settings): controls it cannot use are greyed out, with the reason on hover.">for {providerName}</span>;
}

function ShotForm({ shotId }: { shotId: string }) {
  const commands = useCommands();
  const problems = useShotProblems(shotId);
  return (
    <ProblemsContext.Provider value={problems}>
      <div className="inspector__form">
        <ProblemSummary other={problems.other} />
        <InspectorSection title="Shot">
          <TitleField shotId={shotId} />
          <PromptField shotId={shotId} />
          <PromptField shotId={shotId} negative />
        </InspectorSection>
        <InspectorSection title="Look" aside={<ProviderNote shotId={shotId} />}>
          <div className="irow">
            <DurationField shotId={shotId} />
            <CfgScaleField shotId={shotId} />
          </div>
          <AspectRatioField shotId={shotId} />
          <TierField shotId={shotId} />
        </InspectorSection>
        <InspectorSection title="References">
          <ChainField shotId={shotId} />
          <div className="irow">
            <FrameWell shotId={shotId} which="start" />
            <FrameWell shotId={shotId} which="end" />
          </div>
          <KeyframeField shotId={shotId} />
          <ElementsField shotId={shotId} />
        </InspectorSection>
        <InspectorSection title="Audio">
          <NativeAudioField shotId={shotId} />
          <VoicesField shotId={shotId} />
          <DialogueField shotId={shotId} />
        </InspectorSection>
        <ShotActions shotId={shotId} />
        <TakesPanel shotId={shotId} />
        <div className="inspector__danger">
          <button type="button" className="btn btn--danger" onClick={() => void commands.removeShot(shotId)} aria-keyshortcuts="Delete">
            <Icon name="trash" />
            Delete shot
          </button>
        </div>
      </div>
    </ProblemsContext.Provider>
  );
}

export function Inspector() {
  const id = useStudio((s) => (s.selectedShotId && findShotIndex(s, s.selectedShotId) >= 0 ? s.selectedShotId : null));
  const number = useStudio((s) => (id ? findShotIndex(s, id) + 1 : 0));
  // Several shots selected: their count and the fields they share, never one of them alone without a word.
  const many = useStudio(useShallow((s) => s.selectedShotIds.filter((x) => findShotIndex(s, x) >= 0)));
  const libraryOpen = useStudio((s) => s.dialog === 'library');
  return (
    <section className="panel inspector" aria-label="Inspector">
      <header className="panel__head">
        <h2 className="panel__title">Inspector</h2>
        {many.length > 1 ? <span className="panel__meta">{many.length} shots</span> : id ? <span className="panel__meta">Shot {number}</span> : null}
      </header>
      <div className="inspector__scroll">
        {many.length > 1 ? (
          <MultiShotForm key={many.join(',')} ids={many} />
        ) : id ? (
          <ShotForm key={id} shotId={id} />
        ) : (
          <p className="empty-note">Select a shot in the list or on the timeline to edit its prompt, look, reference images and audio.</p>
        )}
      </div>
      {libraryOpen ? <LibraryDialog /> : null}
    </section>
  );
}
