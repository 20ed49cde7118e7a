import { useServices, useStudio } from '../../app/studio-context';
import { Modal } from '../notices/modal';
import { SHORTCUT_GROUPS } from './shortcuts';
import './keyboard.css';

export function ShortcutsOverlay() {
  const { store } = useServices();
  const open = useStudio((s) => s.dialog === 'shortcuts');
  if (!open) return null;
  return (
    <Modal title="Keyboard shortcuts" onClose={() => store.getState().openDialog(null)} className="shortcuts">
      <p className="shortcuts__lead">Single keys work when you are not typing in a field.</p>
      <div className="shortcuts__groups">
        {SHORTCUT_GROUPS.map((g) => (
          <section key={g.title} aria-label={g.title}>
            <h3 className="shortcuts__title">{g.title}</h3>
            <dl className="shortcuts__list">
              {g.rows.map((r) => (
                <div key={r.what} className="shortcuts__row">
                  <dt>
                    {r.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 ? <span className="shortcuts__or">or</span> : null}
                        <kbd className="shortcuts__key">{k}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{r.what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Modal>
  );
}
