// Studio-wide keys (DESIGN §8). Plain keys act only when focus is not in a text field, so typing a prompt
// never skips shots or deletes one.
import { useEffect } from 'react';
import { useServices } from '../../app/studio-context';

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file'].includes(target.type);
  }
  return false;
}

export function useShortcuts(): void {
  const { store, commands, player } = useServices();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const mod = e.metaKey || e.ctrlKey;
      const typing = isTextEntry(e.target);
      const selected = store.getState().selectedShotId;

      if (mod && e.key === 'Enter') {
        e.preventDefault();
        if (selected) void commands.generate([selected]);
        return;
      }
      if (mod && (e.key === 's' || e.key === 'S')) {
        // The core autosaves; ⌘S sends what is still being typed instead of opening "Save page as".
        e.preventDefault();
        void commands.flushEdits();
        return;
      }
      if (typing || mod) return;
      if (e.altKey) {
        // ⌥↑ / ⌥↓ move the selected shot one place earlier or later in the cut.
        if (!selected || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
        const shots = store.getState().doc?.project.shots ?? [];
        const index = shots.findIndex((x) => x.id === selected);
        const to = index + (e.key === 'ArrowUp' ? -1 : 1);
        e.preventDefault();
        if (index >= 0 && to >= 0 && to < shots.length) void commands.moveShot(selected, to);
        return;
      }
      // The video's own controls handle keys when it has focus.
      const onVideo = e.target instanceof HTMLVideoElement;

      switch (e.key) {
        case 'ArrowLeft':
        case 'ArrowUp':
          if (onVideo) return;
          e.preventDefault();
          commands.selectAdjacentShot(-1);
          break;
        case 'ArrowRight':
        case 'ArrowDown':
          if (onVideo) return;
          e.preventDefault();
          commands.selectAdjacentShot(1);
          break;
        case ' ': {
          if (onVideo) return;
          const video = player.video;
          if (!video) return;
          e.preventDefault();
          if (video.paused) void video.play().catch(() => {});
          else video.pause();
          break;
        }
        case 'Delete':
        case 'Backspace':
          if (!selected) return;
          e.preventDefault();
          void commands.removeShot(selected);
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, commands, player]);
}
