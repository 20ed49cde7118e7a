import { useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';

/**
 * Shown while the core cannot write project.json (a full or read-only disk): the edits are only in memory
 * until a save works, and the person must know where it failed and what to do. It goes away by itself
 * once the core's retry succeeds.
 */
export function SaveFailureNotice() {
  const failure = useStudio((s) => s.doc?.saveError);
  if (!failure) return null;
  return (
    <div className="banner banner--bad" role="alert" aria-label="Edits not saved">
      <Icon name="alert" />
      <span>{failure.message}</span>
    </div>
  );
}
