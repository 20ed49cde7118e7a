// The inspector's label + control + messages. Like components/field.tsx, plus the core's pre-flight
// problems (amber: saved, but would stop "Generate") under the control they belong to, and a reason
// when the provider cannot honour the control (the label carries it as a tooltip too).
import { useId, type ReactNode } from 'react';
import { Icon } from '../../components/icon';

export interface InspectorFieldProps {
  label: string;
  /** The text cannot be saved as it is (red). */
  error?: string | null;
  /** Saved, but the core would refuse to generate it (amber). */
  problems?: readonly string[];
  /** Why the provider cannot use this control; the control is disabled and keeps its value. */
  disabledReason?: string | null;
  aside?: ReactNode;
  hint?: ReactNode;
  className?: string;
  children: (control: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string; disabled: boolean; title?: string }) => ReactNode;
}

export function InspectorField({ label, error, problems = [], disabledReason, aside, hint, className, children }: InspectorFieldProps) {
  const id = useId();
  const messageId = `${id}-msg`;
  const hasMessage = Boolean(error || problems.length || disabledReason || hint);
  const state = error ? ' field--invalid' : problems.length ? ' field--problem' : '';
  return (
    <div className={`field${state}${disabledReason ? ' field--off' : ''}${className ? ` ${className}` : ''}`}>
      <div className="field__head">
        <label htmlFor={id} className="field__label" title={disabledReason ?? undefined}>
          {label}
        </label>
        {aside ? <span className="field__aside">{aside}</span> : null}
      </div>
      {children({
        id,
        'aria-invalid': Boolean(error || problems.length),
        ...(hasMessage ? { 'aria-describedby': messageId } : {}),
        disabled: Boolean(disabledReason),
        ...(disabledReason ? { title: disabledReason } : {}),
      })}
      {hasMessage ? <FieldMessages id={messageId} error={error} problems={problems} disabledReason={disabledReason} hint={hint} /> : null}
    </div>
  );
}

export function FieldMessages({
  id,
  error,
  problems = [],
  disabledReason,
  hint,
}: {
  id?: string;
  error?: string | null;
  problems?: readonly string[];
  disabledReason?: string | null;
  hint?: ReactNode;
}) {
  return (
    <div id={id} className="field__messages">
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      {problems.map((p) => (
        <p key={p} className="field__problem">
          <Icon name="alert" size={12} />
          <span>{p}</span>
        </p>
      ))}
      {/* A problem from the core already says the same, with what to do: show one message, not two. */}
      {disabledReason && problems.length === 0 ? <p className="field__off">{disabledReason}.</p> : null}
      {!error && hint ? <p className="field__hint">{hint}</p> : null}
    </div>
  );
}

/** A titled group of fields (Shot · Look · References · Audio). */
export function InspectorSection({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  const id = useId();
  return (
    <div className="isection" role="group" aria-labelledby={id}>
      <div className="isection__head">
        <h3 id={id} className="isection__title">
          {title}
        </h3>
        {aside}
      </div>
      <div className="isection__body">{children}</div>
    </div>
  );
}
