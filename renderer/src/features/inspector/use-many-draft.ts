// A text field of the multi-selection form: typed locally, sent to every selected shot at once
// (shots.updateMany) when the person leaves it, presses Enter, or anything flushes edits (generate, ⌘S,
// switching selection). Text that breaks a rule is held for each shot like a single shot's draft
// (store/drafts-slice): never dropped silently, and generating waits on it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ShotPatch } from '../../../../shared/schema';
import { useServices } from '../../app/studio-context';
import { draftKey } from '../../store/drafts-slice';

export interface ManyDraftOptions {
  ids: string[];
  field: string;
  label: string;
  /** The value all the shots share, as the control shows it; null when they differ. */
  common: string | null;
  validate: (text: string) => string | null;
  toPatch: (text: string) => ShotPatch;
}

export function useManyDraft(options: ManyDraftOptions) {
  const { store, commands, edits } = useServices();
  const opts = useRef(options);
  opts.current = options;
  const [text, setText] = useState<string | null>(null);
  const textRef = useRef<string | null>(null);
  const holding = useRef(false);

  const put = useCallback((next: string | null) => {
    textRef.current = next;
    setText(next);
  }, []);

  const syncHeld = useCallback(() => {
    const { ids, field, label, validate } = opts.current;
    const current = textRef.current;
    const refusal = current === null ? null : validate(current);
    const s = store.getState();
    if (refusal !== null && current !== null) {
      holding.current = true;
      for (const shotId of ids) s.holdDraft({ shotId, field, label, text: current, kind: 'refused', message: refusal });
    } else if (holding.current) {
      holding.current = false;
      for (const shotId of ids) s.releaseDraft(shotId, field);
    }
  }, [store]);

  const onChange = useCallback(
    (next: string) => {
      put(next);
      syncHeld();
    },
    [put, syncHeld],
  );

  /** Sends valid typed text to every shot; text that breaks a rule stays (and stays held). */
  const commit = useCallback(async () => {
    const current = textRef.current;
    const { ids, common, validate, toPatch } = opts.current;
    if (current === null || validate(current) !== null) return;
    if (current !== common) await commands.updateShots(ids, toPatch(current));
    // Whether it was taken or refused (the toast says why), the field shows the document again.
    if (textRef.current === current) put(null);
  }, [commands, put]);

  /** Drops what was typed and shows the shots' value again. */
  const revert = useCallback(() => {
    put(null);
    syncHeld();
  }, [put, syncHeld]);

  useEffect(() => edits.register(commit), [edits, commit]);
  useEffect(
    () =>
      store.subscribe((state) => {
        const { ids, field } = opts.current;
        if (holding.current && !ids.some((id) => draftKey(id, field) in state.drafts)) {
          // Discarded from the "edits stop generation" dialog.
          holding.current = false;
          put(null);
        }
      }),
    [store, put],
  );
  // Leaving the selection sends what was typed; text that breaks a rule stays held for each shot.
  useEffect(() => () => void commit(), [commit]);

  const shown = text ?? options.common ?? '';
  return { text: shown, typed: text, error: text === null ? null : options.validate(text), onChange, commit, revert };
}
