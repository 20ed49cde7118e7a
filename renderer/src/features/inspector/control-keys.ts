// The studio's single-key shortcuts (space = play, ←/→ = previous/next shot) listen on the window and
// treat buttons, switches, radios and sliders as "not typing". Inside a form those keys belong to the
// focused control (space presses a button, arrows move a slider or a radio choice), so they stop here.
import type { KeyboardEvent } from 'react';

const ARROWS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

export function keepControlKeys(e: KeyboardEvent) {
  if (e.metaKey || e.ctrlKey || e.altKey) return;
  const t = e.target;
  if (e.key === ' ' && (t instanceof HTMLButtonElement || (t instanceof HTMLInputElement && ['checkbox', 'radio'].includes(t.type)))) {
    e.stopPropagation();
  } else if (ARROWS.has(e.key) && t instanceof HTMLInputElement && ['range', 'radio'].includes(t.type)) {
    e.stopPropagation();
  }
}
