// A text box over a stored value: typing stays local until it is saved (on blur or Enter), and the box
// follows the stored value when it changes elsewhere (undo, another window) — unless it is being edited.
import { useEffect, useRef, useState } from 'react';

export function useSyncedText(stored: string) {
  const [text, setText] = useState(stored);
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) setText(stored);
  }, [stored]);
  return {
    text,
    onChange: (next: string) => {
      editing.current = true;
      setText(next);
    },
    /** Ends the edit; returns the text when it differs from the stored value (i.e. should be saved). */
    commit: (): string | null => {
      editing.current = false;
      return text !== stored ? text : null;
    },
    reset: () => {
      editing.current = false;
      setText(stored);
    },
  };
}
