// A settings field that commits on blur or Enter and shows the core's refusal on the field itself.
import { useEffect, useState } from 'react';
import { Field } from '../../components/field';

/** A text/number input that commits on blur or Enter and shows the core's refusal on the field. */
export function CommitInput({
  label,
  value,
  hint,
  type = 'text',
  placeholder,
  wide,
  commit,
  inputProps,
}: {
  label: string;
  value: string;
  hint?: string;
  type?: 'text' | 'number' | 'url';
  placeholder?: string;
  wide?: boolean;
  commit: (text: string) => Promise<string | undefined>;
  inputProps?: Record<string, string | number>;
}) {
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(value), [value]);
  const send = async () => {
    if (draft === value) {
      setError(undefined);
      return;
    }
    setBusy(true);
    const err = await commit(draft);
    setBusy(false);
    setError(err);
  };
  return (
    <div className={wide ? 'settings__wide' : undefined}>
      <Field label={label} error={error} hint={hint}>
        {(control) => (
          <input
            {...control}
            {...inputProps}
            className={`input${type === 'number' ? ' input--narrow' : ''}`}
            type={type}
            value={draft}
            placeholder={placeholder}
            aria-busy={busy}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={() => void send()}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void send();
              }
            }}
          />
        )}
      </Field>
    </div>
  );
}

