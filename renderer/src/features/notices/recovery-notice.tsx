import { useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';

/** Shown when the core opened the project from project.json.bak: the person must know, not guess. */
export function RecoveryNotice() {
  const { store } = useServices();
  const message = useStudio((s) => (s.recoveryNoticeDismissed ? undefined : s.doc?.recoveredFromBackup));
  if (!message) return null;
  return (
    <div className="banner banner--warn" role="alert" aria-label="Project recovered from backup">
      <Icon name="alert" />
      <span>{message}</span>
      <button type="button" className="btn btn--tiny" onClick={() => store.getState().dismissRecoveryNotice()}>
        Got it
      </button>
    </div>
  );
}
