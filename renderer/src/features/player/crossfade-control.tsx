// The project's crossfade between shots, beside the player: the preview shows it (rebuilt after a change,
// only the pieces around each cut encoded) and the Export dialog starts from it.
import { useCommands, useStudio } from '../../app/studio-context';

/** The lengths offered; a project's own value (set in the CLI, say) is kept in the list. */
export const CROSSFADE_CHOICES = [0, 0.25, 0.5, 1, 2];

export function crossfadeLabel(sec: number): string {
  return sec > 0 ? `${Number(sec.toFixed(2))} s` : 'Off';
}

export function CrossfadeControl() {
  const commands = useCommands();
  const value = useStudio((s) => s.doc?.project.settings.crossfadeSec ?? 0);
  const choices = CROSSFADE_CHOICES.includes(value) ? CROSSFADE_CHOICES : [...CROSSFADE_CHOICES, value].sort((a, b) => a - b);
  return (
    <label className="player__crossfade" title="Crossfade between shots: the preview shows it, and the export uses it unless you change it there. Each one overlaps two shots, so the film gets shorter.">
      <span className="player__crossfade-label">Crossfade</span>
      <select
        className="player__crossfade-select"
        value={String(value)}
        onChange={(e) => void commands.mutate('settings.update', { patch: { crossfadeSec: Number(e.target.value) } }, 'Could not change the crossfade')}
      >
        {choices.map((c) => (
          <option key={c} value={String(c)}>
            {crossfadeLabel(c)}
          </option>
        ))}
      </select>
    </label>
  );
}
