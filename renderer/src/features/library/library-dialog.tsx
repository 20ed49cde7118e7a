// The project's library of elements and voices, as one modal (opened from the inspector or anywhere with
// openDialog('library')). Every change is a document edit through the funnel, so ⌘Z undoes it.
import { createPortal } from 'react-dom';
import { useServices } from '../../app/studio-context';
import { Modal } from '../notices/modal';
import { ElementList } from './element-list';
import { VoiceList } from './voice-list';
import './library.css';

export function LibraryDialog() {
  const { store } = useServices();
  const close = () => store.getState().openDialog(null);
  return createPortal(
    <Modal
      title="Library"
      label="Library"
      onClose={close}
      className="library"
      footer={
        <>
          <span className="modal__foot-note">Saved as you go. Removing an element or voice also takes it off every shot.</span>
          <button type="button" className="btn" onClick={close}>
            Done
          </button>
        </>
      }
    >
      <div className="library__cols">
        <ElementList />
        <VoiceList />
      </div>
    </Modal>,
    document.body,
  );
}
