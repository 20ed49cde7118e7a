import { useEffect, useRef, useState } from 'react';

/**
 * Esc puts a pointer drag back: `listen()` when the drag starts, `stop()` when it ends. The key is captured
 * before the studio's own shortcuts see it, and only while `active()` says a drag is under way. One stable
 * listener per component, so the one added is the one removed (also on unmount).
 */
export function useEscapeToCancel(active: () => boolean, cancel: () => void): { listen: () => void; stop: () => void } {
  const latest = useRef({ active, cancel });
  latest.current = { active, cancel };
  const [keys] = useState(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || !latest.current.active()) return;
      e.preventDefault();
      e.stopPropagation();
      latest.current.cancel();
    };
    return { listen: () => window.addEventListener('keydown', onKey, true), stop: () => window.removeEventListener('keydown', onKey, true) };
  });
  useEffect(() => keys.stop, [keys]);
  return keys;
}
