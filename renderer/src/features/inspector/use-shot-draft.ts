// A shot field edited locally and sent to the core after a short pause. The input always shows local
// text, so typing stays smooth whatever the round trip costs; the local text follows the document only
// when nothing of ours is waiting or in flight, which is when the document is the truth.
// Text the core has not taken (it breaks a rule, or sending it failed) is held in the store (drafts-slice)
// while it is on screen and after the field goes away, so switching shots never drops it and generating
// can refuse while it is held; the field shows it again when it comes back.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Shot, ShotPatch } from '../../../../shared/schema';
import { useServices } from '../../app/studio-context';
import { draftKey } from '../../store/drafts-slice';
import { selectShot } from '../../store/selectors';

export interface ShotDraftOptions {
  shotId: string;
  /** The shot field (FieldKey: 'prompt', 'durationSec', …) and its label, naming a held draft. */
  field: string;
  label: string;
  /** Reads the field from the stored shot as the text the control shows. */
  read: (shot: Shot) => string;
  /** A message for the person, or null when the text can be sent. */
  validate: (text: string) => string | null;
  toPatch: (text: string) => ShotPatch;
  delayMs?: number;
}

export function useShotDraft(options: ShotDraftOptions) {
  const { store, commands, edits } = useServices();
  const opts = useRef(options);
  opts.current = options;

  const storedNow = useCallback((): string | undefined => {
    const shot = selectShot(opts.current.shotId)(store.getState());
    return shot ? opts.current.read(shot) : undefined;
  }, [store]);

  const heldNow = useCallback(() => store.getState().drafts[draftKey(opts.current.shotId, opts.current.field)], [store]);
  const [text, setText] = useState(() => heldNow()?.text ?? storedNow() ?? '');
  const textRef = useRef(text);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inflight = useRef(0);
  const mounted = useRef(true);
  /** Text whose send failed (offline, refused): kept on screen, counted as unsaved, retried on reconnect. */
  const failed = useRef<string | null>(null);
  const [notSaved, setNotSaved] = useState(false);
  /** This field has a draft in the store: when it disappears without us, someone discarded it. */
  const holding = useRef(heldNow() !== undefined);

  /** Holds the text in the store while the core does not have it (refused or failed); releases it otherwise. */
  const syncHeld = useCallback(
    (unsent: string | null = failed.current) => {
      const { shotId, field, label, validate } = opts.current;
      const current = unsent ?? textRef.current;
      const refusal = validate(current);
      const state = store.getState();
      if (refusal !== null || unsent !== null) {
        holding.current = true;
        state.holdDraft({
          shotId,
          field,
          label,
          text: current,
          kind: refusal !== null ? 'refused' : 'unsent',
          message: refusal ?? 'Storyreel did not take this edit yet (offline or refused); it is sent again when the connection comes back.',
        });
      } else if (holding.current) {
        holding.current = false;
        state.releaseDraft(shotId, field);
      }
    },
    [store],
  );

  const reconcile = useCallback(() => {
    if (!mounted.current || timer.current || inflight.current > 0 || failed.current !== null) return;
    if (store.getState().pendingMutations > 0) return;
    const stored = storedNow();
    const current = textRef.current;
    if (stored === undefined || stored === current || opts.current.validate(current) !== null) return;
    textRef.current = stored;
    setText(stored);
    syncHeld();
  }, [store, storedNow, syncHeld]);

  const send = useCallback(async () => {
    const current = textRef.current;
    const willSend = opts.current.validate(current) === null && current !== storedNow();
    // Counted as in flight before the store hears anything, so reconcile() never reverts it meanwhile.
    if (willSend) inflight.current += 1;
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
      store.getState().changeUnsentEdits(-1);
    }
    if (!willSend) {
      // Typed back to what the document holds: nothing is unsaved any more.
      if (failed.current !== null && current === storedNow()) {
        failed.current = null;
        store.getState().changeUnsentEdits(-1);
        if (mounted.current) setNotSaved(false);
      }
      if (mounted.current) syncHeld();
      return;
    }
    let ok = false;
    try {
      ok = (await commands.updateShot(opts.current.shotId, opts.current.toPatch(current))) !== undefined;
    } finally {
      inflight.current -= 1;
      if (ok && failed.current !== null) {
        failed.current = null;
        store.getState().changeUnsentEdits(-1);
        if (mounted.current) setNotSaved(false);
      } else if (!ok && failed.current === null && mounted.current && textRef.current === current) {
        failed.current = current;
        store.getState().changeUnsentEdits(1);
        setNotSaved(true);
      }
      if (mounted.current) syncHeld();
      // Gone from the screen: a failed last send is held for when the shot comes back, a good one released.
      else syncHeld(ok ? null : current);
      reconcile();
    }
  }, [commands, reconcile, store, storedNow, syncHeld]);

  const onChange = useCallback(
    (next: string) => {
      textRef.current = next;
      setText(next);
      // The timer is armed before the store hears of the edit: reconcile() must already see it as waiting.
      const first = !timer.current;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void send(), opts.current.delayMs ?? 200);
      if (first) store.getState().changeUnsentEdits(1);
      syncHeld();
    },
    [send, store, syncHeld],
  );

  /** Drops whatever the field holds and shows the document's value again; returns that value. */
  const revert = useCallback((): string => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
      store.getState().changeUnsentEdits(-1);
    }
    if (failed.current !== null) {
      failed.current = null;
      store.getState().changeUnsentEdits(-1);
      setNotSaved(false);
    }
    const stored = storedNow() ?? '';
    textRef.current = stored;
    setText(stored);
    syncHeld();
    return stored;
  }, [store, storedNow, syncHeld]);

  useEffect(
    () =>
      store.subscribe((state, prev) => {
        if (holding.current && !(draftKey(opts.current.shotId, opts.current.field) in state.drafts)) {
          // Discarded from elsewhere (the "edits stop generation" dialog): show the document's value.
          holding.current = false;
          revert();
          return;
        }
        const reconnected = state.connection.status === 'open' && prev.connection.status !== 'open';
        if (reconnected && failed.current !== null && !timer.current && inflight.current === 0) void send();
        else reconcile();
      }),
    [store, reconcile, send, revert],
  );
  useEffect(() => edits.register(send), [edits, send]);
  useEffect(() => {
    mounted.current = true;
    // A draft held from an earlier visit that can be sent now (it failed to send, or was fixed) goes again.
    const held = heldNow();
    if (held && opts.current.validate(held.text) === null) {
      if (held.text !== storedNow()) onChange(held.text);
      else syncHeld();
    }
    return () => {
      mounted.current = false;
      const retry = failed.current !== null;
      if (retry) {
        failed.current = null;
        store.getState().changeUnsentEdits(-1);
      }
      // Switching shots mid-word still sends the word (and one more try for a failed one).
      if (timer.current || retry) void send();
    };
  }, [send, store, heldNow, storedNow, onChange, syncHeld]);

  return { text, error: options.validate(text), notSaved, onChange, flush: send, revert };
}
