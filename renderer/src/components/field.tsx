// Label + control + hint/error. The error is announced and tied to the control with aria-describedby.
import { useId, type ReactNode } from 'react';

export interface FieldProps {
  label: string;
  error?: string | null;
  /** Right-aligned text beside the label, e.g. a character counter. */
  aside?: ReactNode;
  hint?: string;
  children: (control: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}

export function Field({ label, error, aside, hint, children }: FieldProps) {
  const id = useId();
  const messageId = `${id}-msg`;
  const message = error ?? hint;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <div className="field__head">
        <label htmlFor={id} className="field__label">
          {label}
        </label>
        {aside ? <span className="field__aside">{aside}</span> : null}
      </div>
      {children({ id, 'aria-invalid': Boolean(error), ...(message ? { 'aria-describedby': messageId } : {}) })}
      {message ? (
        <p id={messageId} className={error ? 'field__error' : 'field__hint'} role={error ? 'alert' : undefined}>
          {message}
        </p>
      ) : null}
    </div>
  );
}
