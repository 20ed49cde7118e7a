// Duration, aspect ratio, tier and CFG scale: what the clip will look like. Choices the project's provider
// cannot make are disabled with a tooltip naming it; "Project default" follows the project's settings.
import { useState, type ReactNode } from 'react';
import type { AspectRatio, Tier } from '../../../../shared/schema';
import { useCommands, useStudio } from '../../app/studio-context';
import { FieldMessages, InspectorField } from './inspector-field';
import { useFieldProblems, useShotCapabilities, useShotValue } from './shot-hooks';
import { NOT_SAVED } from './text-fields';
import { usePendingValue } from './use-pending-value';
import { useShotDraft } from './use-shot-draft';
import { durationRevertNote, validateCfgScale, validateDuration } from './validation';

export function DurationField({ shotId }: { shotId: string }) {
  const { durationRange } = useShotCapabilities(shotId);
  const draft = useShotDraft({
    shotId,
    field: 'durationSec',
    label: 'Duration',
    read: (s) => String(s.durationSec),
    validate: (text) => validateDuration(text, durationRange),
    toPatch: (text) => ({ durationSec: Number(text.trim()) }),
    delayMs: 250,
  });
  const problems = useFieldProblems('durationSec');
  /** Why the last typed length was put back on leaving the field; cleared by the next change. */
  const [reverted, setReverted] = useState<string | null>(null);
  const n = Number(draft.text);
  const valid = draft.error === null;
  const change = (text: string) => {
    setReverted(null);
    draft.onChange(text);
  };
  const step = (by: number) => {
    const base = valid ? n : by > 0 ? durationRange.min - 1 : durationRange.max + 1;
    change(String(Math.min(durationRange.max, Math.max(durationRange.min, base + by))));
  };
  // A length the shot cannot have is not left on screen (red, unsent) once the person moves on: the field
  // shows the length the shot really has, and says why.
  const onBlur = () => {
    if (draft.error === null) return void draft.flush();
    const typed = draft.text;
    setReverted(durationRevertNote(typed, `the shot stays ${draft.revert()} s`, durationRange));
  };
  const hint = draft.notSaved ? (
    NOT_SAVED
  ) : reverted ? (
    <span role="status" className="field__reverted">
      {reverted}
    </span>
  ) : (
    `${durationRange.min}–${durationRange.max} whole seconds`
  );
  return (
    <InspectorField label="Duration (s)" error={draft.error} problems={problems} hint={hint}>
      {({ disabled: _d, ...a }) => (
        <div className="stepper">
          <button type="button" className="stepper__btn" aria-label="One second shorter" title="One second shorter" disabled={valid && n <= durationRange.min} onClick={() => step(-1)}>
            −
          </button>
          <input
            {...a}
            className="input stepper__input"
            data-draft-field="durationSec"
            type="number"
            inputMode="numeric"
            min={durationRange.min}
            max={durationRange.max}
            step={1}
            value={draft.text}
            onChange={(e) => change(e.target.value)}
            onBlur={onBlur}
          />
          <button type="button" className="stepper__btn" aria-label="One second longer" title="One second longer" disabled={valid && n >= durationRange.max} onClick={() => step(1)}>
            +
          </button>
        </div>
      )}
    </InspectorField>
  );
}

export function CfgScaleField({ shotId }: { shotId: string }) {
  const { reason } = useShotCapabilities(shotId);
  const draft = useShotDraft({ shotId, field: 'cfgScale', label: 'CFG scale', read: (s) => String(s.cfgScale), validate: validateCfgScale, toPatch: (text) => ({ cfgScale: Number(text) }), delayMs: 250 });
  const problems = useFieldProblems('cfgScale');
  const value = Number(draft.text);
  return (
    <InspectorField
      label="CFG scale"
      error={draft.error}
      problems={problems}
      disabledReason={reason('cfgScale')}
      aside={<output className="readout">{Number.isFinite(value) ? value.toFixed(2) : '–'}</output>}
      hint={draft.notSaved ? NOT_SAVED : 'Higher follows the prompt more closely.'}
    >
      {(a) => (
        <input
          {...a}
          className="slider"
          data-draft-field="cfgScale"
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={Number.isFinite(value) ? value : 0.5}
          aria-valuetext={Number.isFinite(value) ? value.toFixed(2) : undefined}
          onChange={(e) => draft.onChange(e.target.value)}
          onBlur={() => void draft.flush()}
          onPointerUp={() => void draft.flush()}
        />
      )}
    </InspectorField>
  );
}

export interface SegmentOption<T extends string> {
  value: T;
  label: ReactNode;
  /** Accessible name when the label is not plain text. */
  name?: string;
  reason?: string | null;
}

/** Native radios drawn as one segmented control: arrow keys move the choice, each option can be disabled. */
export function Segmented<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  problems,
}: {
  legend: string;
  name: string;
  options: SegmentOption<T>[];
  value: T;
  onChange: (value: T) => Promise<unknown>;
  problems: readonly string[];
}) {
  const [shown, choose] = usePendingValue(value);
  const chosen = options.find((o) => o.value === shown);
  return (
    <fieldset className={`field seg-field${problems.length ? ' field--problem' : ''}`}>
      <legend className="field__label">{legend}</legend>
      <div className="seg">
        {options.map((o) => (
          <label key={o.value} className={`seg__opt${o.value === shown ? ' seg__opt--on' : ''}${o.reason ? ' seg__opt--off' : ''}`} title={o.reason ?? undefined}>
            <input
              type="radio"
              className="seg__input"
              name={name}
              value={o.value}
              checked={o.value === shown}
              disabled={Boolean(o.reason)}
              aria-label={o.name}
              onChange={() => void choose(o.value, () => onChange(o.value))}
            />
            {o.label}
          </label>
        ))}
      </div>
      {/* The chosen value stays even when this provider cannot make it: say so rather than hide it. */}
      <FieldMessages problems={problems} disabledReason={chosen?.reason} />
    </fieldset>
  );
}

const ASPECTS: AspectRatio[] = ['16:9', '9:16', '1:1'];

/** The aspect choices: the project's default, then each ratio, each with the provider's reason when it cannot make it. */
export function aspectOptions(projectAspect: AspectRatio, aspectReason: (a: AspectRatio) => string | null): SegmentOption<AspectRatio | 'default'>[] {
  return [
    {
      value: 'default',
      name: `Project default (${projectAspect})`,
      label: (
        <>
          Default <span className="seg__sub">{projectAspect}</span>
        </>
      ),
      reason: aspectReason(projectAspect),
    },
    ...ASPECTS.map((a) => ({ value: a, label: <AspectGlyph ratio={a} />, name: a, reason: aspectReason(a) })),
  ];
}

export function AspectRatioField({ shotId }: { shotId: string }) {
  const commands = useCommands();
  const value = useShotValue<AspectRatio | 'default'>(shotId, (s) => s.aspectRatio ?? 'default', 'default');
  const projectAspect = useStudio((s) => s.doc?.project.settings.aspectRatio ?? '16:9');
  const { aspectReason } = useShotCapabilities(shotId);
  const problems = useFieldProblems('aspectRatio');
  return (
    <Segmented<AspectRatio | 'default'>
      legend="Aspect ratio"
      name={`aspect-${shotId}`}
      value={value}
      problems={problems}
      onChange={(v) => commands.updateShot(shotId, { aspectRatio: v === 'default' ? null : v })}
      options={aspectOptions(projectAspect, aspectReason)}
    />
  );
}

function AspectGlyph({ ratio }: { ratio: AspectRatio }) {
  const [w, h] = ratio === '16:9' ? [14, 8] : ratio === '9:16' ? [8, 14] : [11, 11];
  return (
    <>
      <span className="seg__glyph" style={{ width: w, height: h }} aria-hidden="true" />
      {ratio}
    </>
  );
}

const TIER_LABEL: Record<Tier, string> = { standard: 'Standard', pro: 'Pro' };

export function tierOptions(projectTier: Tier, tierReason: (t: Tier) => string | null): SegmentOption<Tier | 'default'>[] {
  return [
    {
      value: 'default',
      name: `Project default (${TIER_LABEL[projectTier]})`,
      label: (
        <>
          Default <span className="seg__sub">{TIER_LABEL[projectTier]}</span>
        </>
      ),
      reason: tierReason(projectTier),
    },
    { value: 'standard', label: 'Standard', name: 'Standard', reason: tierReason('standard') },
    { value: 'pro', label: 'Pro', name: 'Pro', reason: tierReason('pro') },
  ];
}

export function TierField({ shotId }: { shotId: string }) {
  const commands = useCommands();
  const value = useShotValue<Tier | 'default'>(shotId, (s) => s.tier ?? 'default', 'default');
  const projectTier = useStudio((s) => s.doc?.project.settings.tier ?? 'standard');
  const { tierReason } = useShotCapabilities(shotId);
  const problems = useFieldProblems('tier');
  return (
    <Segmented<Tier | 'default'>
      legend="Tier"
      name={`tier-${shotId}`}
      value={value}
      problems={problems}
      onChange={(v) => commands.updateShot(shotId, { tier: v === 'default' ? null : v })}
      options={tierOptions(projectTier, tierReason)}
    />
  );
}
