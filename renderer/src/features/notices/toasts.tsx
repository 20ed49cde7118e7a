import { useEffect } from 'react';
import { useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import type { Toast } from '../../store/ui-slice';

/**
 * Information leaves by itself. An error stays until it is closed (×) or no longer true: a newer toast on
 * its topic replaces it, and the same action succeeding takes it down (ui-slice clearToasts).
 */
export const INFO_LIFETIME_MS = 6_000;

function ToastItem({ toast }: { toast: Toast }) {
  const { store } = useServices();
  useEffect(() => {
    if (toast.kind !== 'info') return;
    const t = setTimeout(() => store.getState().dismissToast(toast.id), INFO_LIFETIME_MS);
    return () => clearTimeout(t);
  }, [store, toast.id, toast.kind]);
  return (
    <div className={`toast toast--${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <Icon name={toast.kind === 'error' ? 'alert' : 'check'} size={18} className="toast__icon" />
      <div className="toast__body">
        <p className="toast__title">{toast.title}</p>
        <p className="toast__msg">{toast.message}</p>
      </div>
      <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => store.getState().dismissToast(toast.id)}>
        <Icon name="x" size={14} />
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useStudio((s) => s.toasts);
  return (
    <div className="toasts" aria-label="Notifications">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}
