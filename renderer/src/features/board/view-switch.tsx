// The centre region's "Preview | Board" switch: native radios drawn as one segmented control, so arrow
// keys move the choice and a screen reader hears a choice of two. B toggles it from anywhere (keyboard/).
import { useServices, useStudio } from '../../app/studio-context';
import type { CentreView } from '../../store/ui-slice';

const VIEWS: { value: CentreView; label: string; title: string }[] = [
  { value: 'preview', label: 'Preview', title: 'Play the stitched cut (B switches)' },
  { value: 'board', label: 'Board', title: 'Every shot as a card: drag to reorder, double-click to play from it (B switches)' },
];

export function ViewSwitch() {
  const { store } = useServices();
  const view = useStudio((s) => s.centreView);
  return (
    <div className="view-switch" role="radiogroup" aria-label="Centre view">
      {VIEWS.map((v) => (
        <label key={v.value} className={`view-switch__opt${v.value === view ? ' view-switch__opt--on' : ''}`} title={v.title}>
          <input
            type="radio"
            className="view-switch__input"
            name="centre-view"
            value={v.value}
            checked={v.value === view}
            onChange={() => store.getState().setCentreView(v.value)}
          />
          {v.label}
        </label>
      ))}
    </div>
  );
}
