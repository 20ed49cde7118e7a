// The inspector with several shots selected (⇧/⌘-click): how many, which, and the fields they have in
// common (duration, aspect ratio, tier, CFG scale, negative prompt, native audio). Each shows the value
// all share, or "Mixed"; a change goes to every selected shot as one edit (one ⌘Z), refused whole by the
// same checks as a single shot's edit.
import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MAX_PROMPT_CHARS, type AspectRatio, type Tier } from '../../../../shared/schema';
import { useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { MOD_KEY, isMac } from '../../components/platform';
import { shotName } from '../../store/selectors';
import { requestGenerate } from '../toolbar/generate-flow';
import { FieldMessages, InspectorField, InspectorSection } from './inspector-field';
import { Segmented, aspectOptions, tierOptions } from './look-fields';
import { commonValue, selectedInOrder } from './multi-edit';
import { useShotCapabilities } from './shot-hooks';
import { useManyDraft } from './use-many-draft';
import { usePendingValue } from './use-pending-value';
import { durationRevertNote, validateDuration, validatePrompt } from './validation';

const MIXED = 'Mixed';

export function MultiShotForm({ ids }: { ids: string[] }) {
  const services = useServices();
  const all = useStudio(useShallow((s) => s.doc?.project.shots ?? []));
  const shots = selectedInOrder(all, ids);
  const present = shots.map((s) => s.id);
  const caps = useShotCapabilities(present[0] ?? ids[0]);
  const projectAspect = useStudio((s) => s.doc?.project.settings.aspectRatio ?? '16:9');
  const projectTier = useStudio((s) => s.doc?.project.settings.tier ?? 'standard');
  const update = (patch: Parameters<typeof services.commands.updateShots>[1]) => services.commands.updateShots(present, patch);

  const duration = commonValue(shots, (s) => s.durationSec);
  const cfg = commonValue(shots, (s) => s.cfgScale);
  const aspect = commonValue<AspectRatio | 'default'>(shots, (s) => s.aspectRatio ?? 'default');
  const tier = commonValue<Tier | 'default'>(shots, (s) => s.tier ?? 'default');
  const negative = commonValue(shots, (s) => s.negativePrompt);
  const audio = commonValue(shots, (s) => s.audio.native);

  return (
    <div className="inspector__form">
      <div className="multi__summary" role="status" aria-label="Selection">
        <p className="multi__count">{shots.length} shots selected</p>
        <p className="multi__lead">
          Changes here go to all of them at once, and <kbd className="kbd">{isMac ? '⌘Z' : 'Ctrl+Z'}</kbd> takes one back from all of them. Prompts and titles stay each shot&rsquo;s own;
          click a shot below to edit it alone.
        </p>
        <ul className="multi__chips" aria-label="Selected shots">
          {shots.map((s) => {
            const i = all.indexOf(s);
            return (
              <li key={s.id}>
                <button type="button" className="multi__chip" title="Edit this shot alone" onClick={() => services.store.getState().selectShot(s.id)}>
                  <span className="multi__num">{String(i + 1).padStart(2, '0')}</span>
                  {shotName(s, i)}
                </button>
              </li>
            );
          })}
        </ul>
      </div>
      <InspectorSection title="Look" aside={<span className="isection__note">for {caps.providerName}</span>}>
        <div className="irow">
          <ManyDuration ids={present} common={duration.mixed ? null : String(duration.value)} range={caps.durationRange} />
          <ManyCfg common={cfg.mixed ? null : cfg.value} reason={caps.reason('cfgScale')} onChange={(cfgScale) => update({ cfgScale })} />
        </div>
        <Segmented<AspectRatio | 'default'>
          legend="Aspect ratio"
          name="aspect-many"
          value={aspect.mixed ? ('' as AspectRatio) : aspect.value}
          problems={[]}
          onChange={(v) => update({ aspectRatio: v === 'default' ? null : v })}
          options={aspectOptions(projectAspect, caps.aspectReason)}
        />
        <Segmented<Tier | 'default'>
          legend="Tier"
          name="tier-many"
          value={tier.mixed ? ('' as Tier) : tier.value}
          problems={[]}
          onChange={(v) => update({ tier: v === 'default' ? null : v })}
          options={tierOptions(projectTier, caps.tierReason)}
        />
      </InspectorSection>
      <InspectorSection title="Prompt">
        <ManyNegativePrompt ids={present} common={negative.mixed ? null : negative.value} reason={caps.reason('negativePrompt')} />
      </InspectorSection>
      <InspectorSection title="Audio">
        <ManyNativeAudio common={audio.mixed ? null : audio.value} reason={caps.reason('nativeAudio')} onChange={(native) => update({ audio: { native } })} />
      </InspectorSection>
      <div className="inspector__actions">
        <span className="multi__mixed-note">{shots.length} shots</span>
        <button
          type="button"
          className="btn btn--secondary"
          onClick={() => void requestGenerate(services, present)}
          aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
        >
          <Icon name="spark" />
          Generate {shots.length} shots
          <kbd className="kbd">{MOD_KEY}↵</kbd>
        </button>
      </div>
    </div>
  );
}

function ManyDuration({ ids, common, range }: { ids: string[]; common: string | null; range: { min: number; max: number } }) {
  const draft = useManyDraft({
    ids,
    field: 'durationSec',
    label: 'Duration',
    common,
    validate: (text) => validateDuration(text, range),
    toPatch: (text) => ({ durationSec: Number(text.trim()) }),
  });
  const [reverted, setReverted] = useState<string | null>(null);
  const onBlur = () => {
    if (draft.typed === null) return;
    if (draft.error === null) return void draft.commit();
    setReverted(durationRevertNote(draft.typed, common ? `the shots stay ${common} s` : 'each shot keeps its own length', range));
    draft.revert();
  };
  return (
    <InspectorField
      label="Duration (s)"
      error={draft.error}
      hint={
        reverted ? (
          <span role="status" className="field__reverted">
            {reverted}
          </span>
        ) : (
          `${range.min}–${range.max} whole seconds${common === null ? '; now mixed' : ''}`
        )
      }
    >
      {({ disabled: _d, ...a }) => (
        <input
          {...a}
          className="input"
          type="number"
          inputMode="numeric"
          min={range.min}
          max={range.max}
          step={1}
          placeholder={MIXED}
          value={draft.text}
          onChange={(e) => {
            setReverted(null);
            draft.onChange(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void draft.commit();
          }}
          onBlur={onBlur}
        />
      )}
    </InspectorField>
  );
}

function ManyCfg({ common, reason, onChange }: { common: number | null; reason: string | null; onChange: (v: number) => Promise<unknown> }) {
  const [shown, choose] = usePendingValue<number | null>(common);
  return (
    <InspectorField
      label="CFG scale"
      disabledReason={reason}
      aside={<output className="readout">{shown === null ? MIXED : shown.toFixed(2)}</output>}
      hint="Higher follows the prompt more closely."
    >
      {(a) => (
        <input
          {...a}
          className="slider"
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={shown ?? 0.5}
          aria-valuetext={shown === null ? MIXED : shown.toFixed(2)}
          onChange={(e) => {
            const v = Number(e.target.value);
            void choose(v, () => onChange(v));
          }}
        />
      )}
    </InspectorField>
  );
}

function ManyNegativePrompt({ ids, common, reason }: { ids: string[]; common: string | null; reason: string | null }) {
  const draft = useManyDraft({ ids, field: 'negativePrompt', label: 'Negative prompt', common, validate: validatePrompt, toPatch: (negativePrompt) => ({ negativePrompt }) });
  const over = draft.text.length > MAX_PROMPT_CHARS;
  return (
    <InspectorField
      label="Negative prompt"
      error={draft.error}
      disabledReason={reason}
      aside={
        <span className={`counter${over ? ' counter--over' : ''}`} aria-label={`${draft.text.length} of ${MAX_PROMPT_CHARS} characters`}>
          {draft.text.length}/{MAX_PROMPT_CHARS}
        </span>
      }
      hint={common === null && draft.typed === null ? 'The shots differ; what you type replaces each one’s.' : 'What the shots should avoid; saved to all of them when you leave the field.'}
    >
      {(a) => (
        <textarea
          {...a}
          className="input input--area"
          data-draft-field="negativePrompt"
          rows={2}
          placeholder={common === null ? MIXED : 'blur, distortion, text'}
          value={draft.text}
          onChange={(e) => draft.onChange(e.target.value)}
          onBlur={() => void draft.commit()}
        />
      )}
    </InspectorField>
  );
}

function ManyNativeAudio({ common, reason, onChange }: { common: boolean | null; reason: string | null; onChange: (v: boolean) => Promise<unknown> }) {
  const [on, choose] = usePendingValue<boolean | null>(common);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = on === null;
  }, [on]);
  return (
    <div className={`field${reason ? ' field--off' : ''}`}>
      <label className="switch" title={reason ?? undefined}>
        <input
          ref={ref}
          type="checkbox"
          role="switch"
          className="switch__input"
          aria-label="Native audio"
          aria-checked={on === null ? 'mixed' : on}
          checked={on === true}
          disabled={Boolean(reason)}
          onChange={() => {
            // Mixed → on for all; then it toggles for all.
            const next = on !== true;
            void choose(next, () => onChange(next));
          }}
        />
        <span className="switch__track" aria-hidden="true" />
        <span className="switch__text">
          <span className="field__label">Native audio</span>
          <span className="field__hint">{on === null ? 'Mixed: on for some shots. Switching turns it on for all.' : 'Sound made with the picture, for every selected shot.'}</span>
        </span>
      </label>
      <FieldMessages disabledReason={reason} />
    </div>
  );
}
