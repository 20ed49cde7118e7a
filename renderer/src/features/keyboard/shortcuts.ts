// Every studio shortcut, in one table: the keyboard handler and the ? overlay both read it.
import { ALT_KEY, MOD_KEY, isMac } from '../../components/platform';

export interface ShortcutRow {
  keys: string[];
  what: string;
}

const mod = (k: string) => (isMac ? `${MOD_KEY}${k}` : `${MOD_KEY}+${k}`);

export const SHORTCUT_GROUPS: { title: string; rows: ShortcutRow[] }[] = [
  {
    title: 'Playback',
    rows: [
      { keys: ['Space'], what: 'Play or pause the preview' },
      { keys: ['J'], what: 'Pause and step back 1 s (press again to keep stepping)' },
      { keys: ['K'], what: 'Pause' },
      { keys: ['L'], what: 'Play; press again for 2× and 4×' },
    ],
  },
  {
    title: 'Shots',
    rows: [
      { keys: ['←', '↑'], what: 'Previous shot' },
      { keys: ['→', '↓'], what: 'Next shot' },
      { keys: [`${ALT_KEY}↑`, `${ALT_KEY}↓`], what: 'Move the selected shot earlier or later' },
      { keys: [mod('D')], what: 'Duplicate the selected shot (no takes)' },
      { keys: ['Delete'], what: 'Delete the selected shot(s); their takes stay on disk' },
      { keys: [mod('↵')], what: 'Generate the selected shot(s) — asks first when it costs money' },
      { keys: ['C'], what: 'Start the selected shot from the end of the shot before (again: unchain)' },
    ],
  },
  {
    title: 'Timeline (click it first)',
    rows: [
      { keys: [`${ALT_KEY}←`, `${ALT_KEY}→`], what: 'Move the selected shot(s) earlier or later' },
      { keys: ['[', ']'], what: 'Shorten or lengthen the selected shot by 1 s' },
      { keys: ['+', '−', '0'], what: 'Zoom in, zoom out, fit the cut' },
      { keys: ['Esc'], what: 'Cancel a drag' },
    ],
  },
  {
    title: 'Board',
    rows: [
      { keys: ['B'], what: 'Switch the centre between Preview and Board' },
      { keys: ['←', '→', '↑', '↓'], what: 'On a card: the shot before, after, above or below' },
      { keys: [`${ALT_KEY}←`, `${ALT_KEY}→`], what: 'On a card: move the selected shot(s) earlier or later' },
      { keys: ['↵'], what: 'On a card: play the cut from that shot (or double-click)' },
    ],
  },
  {
    title: 'Panels (on a divider)',
    rows: [
      { keys: ['←', '→', '↑', '↓'], what: 'Resize by 10 px (⇧ 50 px); drag with the mouse too' },
      { keys: ['Home', 'End'], what: 'Smallest or largest' },
      { keys: ['↵'], what: 'Back to the default size (or double-click)' },
    ],
  },
  {
    title: 'Project',
    rows: [
      { keys: [mod('Z')], what: 'Undo' },
      { keys: isMac ? ['⇧⌘Z'] : ['Ctrl+Shift+Z', 'Ctrl+Y'], what: 'Redo' },
      { keys: [mod('S')], what: 'Save now (Storyreel also saves as you go)' },
      { keys: [mod('E')], what: 'Export the cut (MP4, WebM, GIF or WebP)' },
      { keys: [mod(',')], what: 'Settings' },
      { keys: ['?'], what: 'This list of shortcuts' },
      { keys: ['Esc'], what: 'Close a dialog' },
    ],
  },
];
