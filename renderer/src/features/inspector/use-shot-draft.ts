// A shot field edited locally and sent to the core after a short pause. The input always shows local
// text, so typing stays smooth whatever the round trip costs; the local text follows the document only
// when nothing of ours is waiting or in flight, which is when the document is the truth.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Shot, ShotPatch } from '../../../../shared/schema';
import { useServices } from '../../app/studio-context';
import { selectShot } from '../../store/selectors';

export interface ShotDraftOptions {
  shotId: string;
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

  const [text, setText] = useState(() => storedNow() ?? '');
  const textRef = useRef(text);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inflight = useRef(0);
  const mounted = useRef(true);
  /** Text whose send failed (offline, refused): kept on screen, counted as unsaved, retried on reconnect. */
  const failed = useRef<string | null>(null);
  const [notSaved, setNotSaved] = useState(false);

  const reconcile = useCallback(() => {
    if (!mounted.current || timer.current || inflight.current > 0 || failed.current !== null) return;
    if (store.getState().pendingMutations > 0) return;
    const stored = storedNow();
    const current = textRef.current;
    if (stored === undefined || stored === current || opts.current.validate(current) !== null) return;
    textRef.current = stored;
    setText(stored);
  }, [store, storedNow]);

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
      reconcile();
    }
  }, [commands, reconcile, store, storedNow]);

  const onChange = useCallback(
    (next: string) => {
      textRef.current = next;
      setText(next);
      // The timer is armed before the store hears of the edit: reconcile() must already see it as waiting.
      const first = !timer.current;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void send(), opts.current.delayMs ?? 200);
      if (first) store.getState().changeUnsentEdits(1);
    },
    [send, store],
  );

  useEffect(
    () =>
      store.subscribe((state, prev) => {
        const reconnected = state.connection.status === 'open' && prev.connection.status !== 'open';
        if (reconnected && failed.current !== null && !timer.current && inflight.current === 0) void send();
        else reconcile();
      }),
    [store, reconcile, send],
  );
  useEffect(() => edits.register(send), [edits, send]);
  useEffect(() => {
    mounted.current = true;
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
  }, [send, store]);

  return { text, error: options.validate(text), notSaved, onChange, flush: send };
}
