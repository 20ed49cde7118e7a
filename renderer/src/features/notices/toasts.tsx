import { useEffect } from 'react';
import { useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import type { Toast } from '../../store/ui-slice';

/** Errors stay long enough to read them; information leaves sooner. Hovering does not matter: × closes. */
const LIFETIME_MS: Record<Toast['kind'], number> = { error: 15_000, info: 6_000 };

function ToastItem({ toast }: { toast: Toast }) {
  const { store } = useServices();
  useEffect(() => {
    const t = setTimeout(() => store.getState().dismissToast(toast.id), LIFETIME_MS[toast.kind]);
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
