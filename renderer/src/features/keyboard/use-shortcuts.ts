// Studio-wide keys (docs/architecture.md §8). Plain keys act only when focus is not in a text field, so typing a prompt
// never skips shots or deletes one; inside a field ⌘Z is the field's own undo.
import { useEffect } from 'react';
import { oneAfterAnother } from '../../store/one-after-another';
import { useServices } from '../../app/studio-context';
import { requestGenerate } from '../toolbar/generate-flow';

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file'].includes(target.type);
  }
  return false;
}

const NAV_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * Keys that belong to the focused control rather than the studio: space presses a button or ticks a box,
 * arrows move a slider or a radio choice. (A plain key on anything else is a studio shortcut.)
 */
function controlOwnsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const role = target.getAttribute('role');
  if (key === ' ') {
    // On a shot (a block on the video lane, a row of the shot list) space still plays, as in every editor.
    if (target.closest('[aria-label="Video lane"], [aria-label="Shots"]')) return false;
    return target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement || (target instanceof HTMLInputElement && ['checkbox', 'radio', 'button', 'submit'].includes(target.type)) || ['button', 'checkbox', 'switch', 'radio', 'tab', 'menuitem'].includes(role ?? '');
  }
  if (NAV_KEYS.has(key)) {
    return (target instanceof HTMLInputElement && ['range', 'radio'].includes(target.type)) || ['slider', 'radio', 'tab', 'spinbutton', 'listbox', 'option', 'menuitem'].includes(role ?? '');
  }
  return false;
}

export function useShortcuts(): void {
  const services = useServices();
  const { store, commands, player } = services;
  useEffect(() => {
    /** ⌥↑/⌥↓ moves, one after another. */
    const moves = oneAfterAnother();
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const state = store.getState();
      // A dialog owns the keyboard while it is open (it handles Esc and its own keys).
      // (A modal traps focus, so a key inside one has its target inside it: no search of the whole page per key.)
      if (state.dialog !== null || (e.target instanceof Element && e.target.closest('[aria-modal="true"]'))) return;
      const mod = e.metaKey || e.ctrlKey;
      if (!mod && !e.altKey && controlOwnsKey(e.target, e.key)) return;
      const typing = isTextEntry(e.target);
      const selected = state.selectedShotId;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;

      if (mod && e.key === 'Enter') {
        e.preventDefault();
        const ids = state.selectedShotIds.length > 0 ? state.selectedShotIds : selected ? [selected] : [];
        if (ids.length > 0) void requestGenerate(services, ids);
        return;
      }
      if (mod && key === 's') {
        // The core autosaves; ⌘S sends what is still being typed instead of opening "Save page as".
        e.preventDefault();
        void commands.flushEdits();
        return;
      }
      if (mod && key === ',') {
        e.preventDefault();
        state.openDialog('settings');
        return;
      }
      if (mod && !e.altKey && !e.shiftKey && key === 'e') {
        // Never the browser's "search from the address bar".
        e.preventDefault();
        state.openDialog('export');
        return;
      }
      if (mod && key === 'd') {
        // Never the browser's "bookmark this page".
        e.preventDefault();
        if (!typing && selected) void commands.mutate('shots.duplicate', { id: selected }, 'Could not duplicate the shot');
        return;
      }
      if (mod && !e.altKey && (key === 'z' || key === 'y')) {
        if (typing) return;
        e.preventDefault();
        if (key === 'y' || e.shiftKey) void commands.redo();
        else void commands.undo();
        return;
      }
      if (typing || mod) return;
      if (e.altKey) {
        // ⌥↑ / ⌥↓ move the selected shot one place earlier or later in the cut.
        if (!selected || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
        e.preventDefault();
        const step = e.key === 'ArrowUp' ? -1 : 1;
        // Pressed twice quickly, the second move starts from where the first one put the shot: each waits for
        // the one before and reads the order the core answered with.
        void moves(async () => {
          const shots = store.getState().doc?.project.shots ?? [];
          const index = shots.findIndex((x) => x.id === selected);
          const to = index + step;
          if (index >= 0 && to >= 0 && to < shots.length) await commands.moveShot(selected, to);
        }).catch(() => {});
        return;
      }
      if (e.key === '?') {
        e.preventDefault();
        state.openDialog('shortcuts');
        return;
      }
      // The video's own controls handle keys when it has focus.
      const onVideo = e.target instanceof HTMLVideoElement;
      const video = player.video;

      switch (key) {
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
          if (onVideo || !video) return;
          e.preventDefault();
          // The board hides the player: playing brings it back rather than playing unseen.
          if (video.paused && state.centreView === 'board') state.setCentreView('preview');
          if (video.paused) void video.play().catch(() => {});
          else video.pause();
          break;
        }
        case 'j':
          if (!video) return;
          e.preventDefault();
          video.pause();
          video.playbackRate = 1;
          video.currentTime = Math.max(0, video.currentTime - 1);
          break;
        case 'k':
          if (!video) return;
          e.preventDefault();
          video.pause();
          video.playbackRate = 1;
          break;
        case 'l':
          if (!video) return;
          e.preventDefault();
          if (video.paused) {
            if (state.centreView === 'board') state.setCentreView('preview');
            video.playbackRate = 1;
            void video.play().catch(() => {});
          } else {
            video.playbackRate = Math.min(4, video.playbackRate * 2);
          }
          break;
        case 'c': {
          // Continuity: chain the selected shot to the end of the one before, or end its chain (services/edits/chain.ts).
          if (!selected || e.shiftKey || state.selectedShotIds.length > 1) return;
          e.preventDefault();
          const chained = Boolean(state.doc?.project.shots.find((x) => x.id === selected)?.startFrameFrom);
          void commands.mutate('shots.chain', { shotId: selected, from: chained ? null : 'previous' }, chained ? 'Could not unchain the shot' : 'Could not start this shot from the end of the one before');
          break;
        }
        case 'b':
          // Preview ⇄ Board (features/board); remembered like the layout sizes.
          if (e.shiftKey) return;
          e.preventDefault();
          state.setCentreView(state.centreView === 'board' ? 'preview' : 'board');
          break;
        case 'Delete':
        case 'Backspace': {
          if (!selected) return;
          e.preventDefault();
          const ids = state.selectedShotIds;
          if (ids.length > 1) void commands.mutate('shots.remove', { ids }, `Could not delete the ${ids.length} shots`);
          else void commands.removeShot(selected);
          break;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [services, store, commands, player]);
}
