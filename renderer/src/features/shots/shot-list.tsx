import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCommands, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { ALT_KEY } from '../../components/platform';
import { selectShotIds } from '../../store/selectors';
import { useFollowPlayback } from '../layout/follow-playback';
import { ShotRow } from './shot-row';

export function ShotList() {
  const commands = useCommands();
  const ids = useStudio(useShallow(selectShotIds));
  const loaded = useStudio((s) => s.doc !== null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  useFollowPlayback({ scrollRef, listRef });
  return (
    <section className="panel shots" aria-label="Shots">
      <header className="panel__head">
        <h2 className="panel__title">Shots</h2>
        <span className="panel__meta">{ids.length}</span>
      </header>
      <div className="shots__scroll" ref={scrollRef}>
        {ids.length > 0 ? (
          <ol role="list" className="shots__list" ref={listRef}>
            {ids.map((id) => (
              <ShotRow key={id} id={id} />
            ))}
          </ol>
        ) : loaded ? (
          <p className="empty-note">No shots yet. Add one to start the storyboard.</p>
        ) : null}
      </div>
      <footer className="panel__foot">
        <button type="button" className="btn btn--ghost btn--block" onClick={() => void commands.addShot()} disabled={!loaded}>
          <Icon name="plus" />
          Add shot
        </button>
        <p className="shots__keys" aria-hidden="true">
          <kbd>↑</kbd>
          <kbd>↓</kbd> select · <kbd>{ALT_KEY}↑</kbd>
          <kbd>{ALT_KEY}↓</kbd> move · <kbd>Del</kbd> delete
        </p>
      </footer>
    </section>
  );
}
