// A text box over a stored value: typing stays local until it is saved (on blur or Enter), and the box
// follows the stored value when it changes elsewhere (undo, another window) — unless it is being edited.
import { createElement, useEffect, useRef, useState } from 'react';

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

/**
 * The name box at the head of a library card: saved on blur or Enter (trimmed); emptied, it goes back to
 * the stored name instead of saving a nameless item.
 */
export function LibraryNameInput({ stored, label, onSave }: { stored: string; label: string; onSave: (name: string) => void }) {
  const name = useSyncedText(stored);
  return createElement('input', {
    className: 'input lib-card__name',
    type: 'text',
    value: name.text,
    'aria-label': label,
    maxLength: 80,
    autoComplete: 'off',
    onChange: (e: { target: HTMLInputElement }) => name.onChange(e.target.value),
    onKeyDown: (e: { key: string; currentTarget: HTMLInputElement }) => e.key === 'Enter' && e.currentTarget.blur(),
    onBlur: () => {
      const next = name.commit();
      if (next === null) return;
      if (next.trim() === '') name.reset();
      else onSave(next.trim());
    },
  });
}
