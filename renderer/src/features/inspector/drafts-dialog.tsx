// "Generation did not start: an edit is not saved." Opened by store/draft-gate when a shot to generate
// has a field holding a draft the core did not take. Each draft is named (shot and field) with why it is
// held; Fix takes the person to the field, Discard puts the saved value back. Nothing was sent.
import { useShallow } from 'zustand/react/shallow';
import { useServices, useStudio } from '../../app/studio-context';
import { blockingDrafts, type HeldDraft } from '../../store/drafts-slice';
import { shotName } from '../../store/selectors';
import type { StudioStore } from '../../store/store';
import { Modal } from '../notices/modal';
import { requestGenerate } from '../toolbar/generate-flow';

export function DraftsDialog() {
  const open = useStudio((s) => s.dialog === 'drafts');
  return open ? <Drafts /> : null;
}

/** Shows the shot alone in the inspector and puts the cursor in the field once it is there. */
export function focusDraftField(store: StudioStore, shotId: string, field: string): void {
  const s = store.getState();
  if (s.selectedShotId !== shotId || s.selectedShotIds.length > 1) s.selectShot(shotId);
  let tries = 0;
  const attempt = () => {
    const el = document.querySelector<HTMLElement>(`[aria-label="Inspector"] [data-draft-field="${field}"]`);
    const target = el && !(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) ? (el.querySelector<HTMLElement>('input, textarea') ?? el) : el;
    if (target) {
      target.scrollIntoView({ block: 'center' });
      target.focus();
    } else if (++tries < 30) requestAnimationFrame(attempt);
  };
  // After the dialog has closed and handed focus back to whatever opened it.
  requestAnimationFrame(attempt);
}

function Drafts() {
  const services = useServices();
  const { store } = services;
  const block = useStudio((s) => s.draftBlock);
  const shots = useStudio(useShallow((s) => (s.doc?.project.shots ?? []).map((x) => x.id)));
  const titles = useStudio(useShallow((s) => (s.doc?.project.shots ?? []).map((x) => x.title)));
  const drafts = useStudio(useShallow((s) => blockingDrafts(s.drafts, shots, block?.shotIds)));

  const close = () => {
    store.getState().openDialog(null);
    store.getState().setDraftBlock(null);
  };
  const fix = (d: HeldDraft) => {
    close();
    focusDraftField(store, d.shotId, d.field);
  };
  const generate = () => {
    const shotIds = block?.shotIds;
    close();
    void requestGenerate(services, shotIds);
  };
  const name = (shotId: string) => {
    const i = shots.indexOf(shotId);
    return `Shot ${i + 1} “${shotName({ title: titles[i] ?? '' }, i)}”`;
  };
  const n = drafts.length;

  return (
    <Modal
      size="narrow"
      title={n > 0 ? `Generation did not start: ${n === 1 ? 'an edit is' : `${n} edits are`} not saved` : 'Nothing holds generation back now'}
      onClose={close}
      footer={
        <>
          <button type="button" className="btn" onClick={close}>
            {n > 0 ? 'Cancel' : 'Close'}
          </button>
          <button
            type="button"
            className="btn btn--primary"
            disabled={n > 0}
            title={n > 0 ? 'Fix or discard each edit first: generating now would send the saved text, not what the field shows.' : undefined}
            onClick={generate}
          >
            Generate
          </button>
        </>
      }
    >
      <p className="confirm__lead">
        {n > 0
          ? 'Nothing was sent and nothing was charged. The provider would receive the saved version, not what the field shows. Fix the edit so it can be saved, or discard it to keep the saved version.'
          : 'Every edit is saved or discarded. Generate sends the shots as they are now on screen.'}
      </p>
      {n > 0 ? (
        <ul className="drafts__list" aria-label="Edits not saved">
          {drafts.map((d) => (
            <li key={`${d.shotId}:${d.field}`} className="drafts__item" aria-label={`${name(d.shotId)} · ${d.label}`}>
              <div className="drafts__what">
                <p className="drafts__name">
                  {name(d.shotId)} · <strong>{d.label}</strong>
                </p>
                <p className="drafts__why">{d.message}</p>
              </div>
              <div className="drafts__actions">
                <button type="button" className="btn btn--tiny btn--secondary" data-autofocus={d === drafts[0] ? true : undefined} onClick={() => fix(d)}>
                  Fix {d.label.toLowerCase()}
                </button>
                <button type="button" className="btn btn--tiny btn--ghost" onClick={() => store.getState().releaseDraft(d.shotId, d.field)}>
                  Discard edit
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </Modal>
  );
}
