import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCommands, useStudio, useServices } from '../../app/studio-context';
import { StatusPill } from '../../components/status-pill';
import { selectShotStatus, shotName } from '../../store/selectors';

export function ShotRow({ id }: { id: string }) {
  const { store } = useServices();
  const { index, title, prompt, duration } = useStudio(
    useShallow((s) => {
      const shots = s.doc?.project.shots ?? [];
      const index = shots.findIndex((x) => x.id === id);
      const shot = shots[index];
      return { index, title: shot?.title ?? '', prompt: shot?.prompt ?? '', duration: shot?.durationSec ?? 0 };
    }),
  );
  const status = useStudio(useShallow(selectShotStatus(id)));
  const selected = useStudio((s) => s.selectedShotId === id);
  const ref = useRef<HTMLLIElement>(null);
  const name = shotName({ title }, index);
  const commands = useCommands();
  const [dropping, setDropping] = useState(false);
  const carriesFile = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  const onDragOver = (e: DragEvent<HTMLLIElement>) => {
    if (!carriesFile(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDropping(true);
  };
  const onDrop = (e: DragEvent<HTMLLIElement>) => {
    if (!carriesFile(e)) return;
    e.preventDefault();
    setDropping(false);
    const file = e.dataTransfer.files[0];
    if (file) void commands.importTake(id, file);
  };

  useEffect(() => {
    if (!selected || !ref.current) return;
    ref.current.scrollIntoView({ block: 'nearest' });
    // Arrow keys move the selection; when focus was on a row, it follows the selection.
    if (document.activeElement?.classList.contains('shot')) ref.current.focus();
  }, [selected]);

  return (
    <li
      ref={ref}
      role="listitem"
      aria-label={name}
      aria-current={selected ? 'true' : undefined}
      tabIndex={selected ? 0 : -1}
      className={`shot${selected ? ' shot--selected' : ''}${dropping ? ' shot--drop' : ''}`}
      title="Drop a video file here to add it as a take"
      onDragOver={onDragOver}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
      onClick={() => store.getState().selectShot(id)}
      onFocus={() => store.getState().selectShot(id)}
    >
      <span className="shot__num">{String(index + 1).padStart(2, '0')}</span>
      <div className="shot__body">
        <div className="shot__top">
          <span className={`shot__title${title.trim() ? '' : ' shot__title--empty'}`}>{name}</span>
          <span className="shot__dur">{duration} s</span>
        </div>
        <p className="shot__prompt">{prompt.trim() || 'No prompt yet'}</p>
        <StatusPill status={status} compact />
      </div>
    </li>
  );
}
