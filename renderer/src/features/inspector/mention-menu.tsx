// The `@` menu of the prompt: typing `@` offers the project's characters (a listbox: ↑↓ move, Enter or Tab
// inserts `@Name`, Esc closes). The adapters turn `@Name` into each provider's own reference
// (shared/character-prompt.ts); the validator refuses a mention of a character who is not in the shot.
import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { matchCharacters, mentionQueryAt } from '../../../../shared/character-prompt';
import { useServices, useStudio } from '../../app/studio-context';
import { findShot } from '../../store/selectors';

type Character = { id: string; name: string; images: string[]; voiceId?: string };
const NONE: readonly Character[] = [];

export function useMentionMenu(opts: { shotId: string; text: string; onText: (next: string) => void; field: RefObject<HTMLTextAreaElement | null> }) {
  const all = useStudio((s) => s.doc?.project.elements ?? NONE);
  const inShot = useStudio((s) => findShot(s, opts.shotId)?.elementIds);
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [closedAt, setClosedAt] = useState<number | null>(null);
  const listId = useId();
  /** Where the caret goes once the inserted mention is in the field: set in the same commit, before the next key. */
  const caretAfterInsert = useRef<{ text: string; at: number } | null>(null);
  useLayoutEffect(() => {
    const pending = caretAfterInsert.current;
    const el = opts.field.current;
    if (!pending || !el || el.value !== pending.text) return;
    caretAfterInsert.current = null;
    el.focus();
    el.setSelectionRange(pending.at, pending.at);
  });
  const query = caret === null ? null : mentionQueryAt(opts.text, caret);
  const options = useMemo(() => (query ? matchCharacters(all, query.query) : []), [all, query?.query]); // eslint-disable-line react-hooks/exhaustive-deps
  const open = query !== null && options.length > 0 && closedAt !== query.start;
  const index = Math.min(active, Math.max(0, options.length - 1));

  const track = () => {
    const el = opts.field.current;
    setCaret(el && el === document.activeElement ? el.selectionStart : null);
  };
  const insert = (c: Character) => {
    if (!query || caret === null) return;
    const mention = `@${c.name} `;
    const next = opts.text.slice(0, query.start) + mention + opts.text.slice(caret).replace(/^ /, '');
    const at = query.start + mention.length;
    // A frame later would be too late for a fast typist: keys pressed meanwhile would land after the caret moved back.
    caretAfterInsert.current = { text: next, at };
    opts.onText(next);
    setCaret(null);
    setActive(0);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((index + step + options.length) % options.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      insert(options[index]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setClosedAt(query!.start);
    }
  };
  const activeId = open ? `${listId}-${index}` : undefined;
  return {
    inputProps: {
      onKeyDown,
      onKeyUp: track,
      onClick: track,
      onSelect: track,
      onFocus: track,
      'aria-autocomplete': 'list' as const,
      'aria-controls': open ? listId : undefined,
      'aria-activedescendant': activeId,
    },
    menu: open ? <MentionList id={listId} options={options} index={index} inShot={inShot ?? []} onPick={insert} onHover={setActive} /> : null,
    /** Called by the textarea's onChange: follows the caret as the person types. */
    onTyped: (text: string, caretNow: number | null) => {
      setCaret(caretNow);
      if (closedAt !== null && (caretNow === null || mentionQueryAt(text, caretNow)?.start !== closedAt)) setClosedAt(null);
    },
  };
}

function MentionList({ id, options, index, inShot, onPick, onHover }: { id: string; options: Character[]; index: number; inShot: string[]; onPick: (c: Character) => void; onHover: (i: number) => void }) {
  const { client } = useServices();
  return (
    <ul className="mention__menu" role="listbox" id={id} aria-label="Characters">
      {options.map((c, i) => (
        <li
          key={c.id}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === index}
          className="mention__option"
          onMouseDown={(e) => {
            e.preventDefault(); // keep the caret in the prompt
            onPick(c);
          }}
          onMouseEnter={() => onHover(i)}
        >
          {c.images[0] ? <img className="mention__thumb" src={client.mediaUrl(c.images[0])} alt="" /> : <span className="mention__thumb" aria-hidden />}
          <span>{c.name}</span>
          <span className="mention__meta">{inShot.includes(c.id) ? 'in this shot' : 'not in this shot yet'}</span>
        </li>
      ))}
    </ul>
  );
}
