// One file a library item carries (a character's reference video, a voice's sample): shown with its length
// and a Remove button, or a picker that stages the file and hands it to the core, which checks it and says
// why it refused (kept beside the row, so the person can pick another).
import { useState } from 'react';
import type { MethodInput } from '../../../../shared/api';
import { useServices } from '../../app/studio-context';

type FileMethod = 'library.setElementVideo' | 'library.setVoiceSample';

export function LibraryFileRow<M extends FileMethod>({ file, label, pickLabel, pickTitle, accept, inputLabel, removeLabel, fail, method, input }: {
  /** The file the item has, if any. */
  file?: { path: string; durationSec: number };
  /** "Video", "Sample": what the row reads before the length. */
  label: string;
  pickLabel: string;
  pickTitle: string;
  accept: string;
  inputLabel: string;
  removeLabel: string;
  /** The error title when the core refuses (also how its message is found again). */
  fail: string;
  method: M;
  /** The method's input for a staged path, or null to remove the file. */
  input: (path: string | null) => MethodInput<M>;
}) {
  const { commands, store } = useServices();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pick = async (picked: File) => {
    setError(null);
    setBusy(true);
    try {
      const staged = await commands.stageFile(picked);
      const ok = staged && (await commands.mutate(method, input(staged), fail));
      if (!ok) setError(store.getState().toasts.findLast((t) => t.title === fail)?.message ?? `Nothing was changed: ${picked.name} was refused.`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="lib-video">
      {file ? (
        <>
          <span className="lib-video__name" title={file.path}>
            {label} · {file.durationSec.toFixed(1)} s
          </span>
          <button type="button" className="btn btn--tiny btn--ghost" aria-label={removeLabel} onClick={() => void commands.mutate(method, input(null), fail)}>
            Remove
          </button>
        </>
      ) : (
        <label className="btn btn--tiny btn--ghost lib-video__pick" title={pickTitle}>
          {busy ? 'Checking…' : pickLabel}
          <input
            type="file"
            accept={accept}
            aria-label={inputLabel}
            disabled={busy}
            hidden
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void pick(f);
            }}
          />
        </label>
      )}
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
