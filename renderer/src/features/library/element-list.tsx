// The project's element library: characters and props kept consistent across shots. Each has a name,
// up to four pictures (a front view first; sent inline to fal and Lumenfall) and, for Kling's own API,
// the id of the element in Kling's library.
import { useShallow } from 'zustand/react/shallow';
import { useCommands, useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { ImageDropZone, useImageImport } from '../inspector/image-drop';
import { LibraryNameInput } from './synced-text';
import { NewItemForm, ProviderIdInput } from './voice-list';

type Element = { id: string; name: string; images: string[]; providerIds: Record<string, string> };

const MAX_IMAGES = 4;

function ElementCard({ element, index }: { element: Element; index: number }) {
  const { commands, client } = useServices();
  const image = useImageImport((p) => ({ method: 'library.addElementImage', input: { elementId: element.id, path: p } }), `Could not add that image to “${element.name}”`);
  const full = element.images.length >= MAX_IMAGES;
  return (
    <li className="lib-card" aria-label={element.name}>
      <div className="lib-card__head">
        <LibraryNameInput
          stored={element.name}
          label={`Element ${index + 1} name`}
          onSave={(next) => void commands.mutate('library.saveElement', { id: element.id, name: next }, `Could not rename “${element.name}”`)}
        />
        <button
          type="button"
          className="icon-btn"
          aria-label={`Remove element ${element.name}`}
          title="Remove this element from the library and from every shot that uses it (⌘Z brings it back)"
          onClick={() => void commands.mutate('library.removeElement', { id: element.id }, `Could not remove “${element.name}”`)}
        >
          <Icon name="trash" size={14} />
        </button>
      </div>
      <div className="lib-images">
        {element.images.map((img, k) => (
          <figure className="lib-thumb" key={img}>
            <img src={client.mediaUrl(img)} alt={`${element.name}, ${k === 0 ? 'front view' : `view ${k + 1}`}`} />
            {k === 0 ? <figcaption className="lib-thumb__tag">Front</figcaption> : null}
            <button
              type="button"
              className="lib-thumb__remove"
              aria-label={`Remove image ${k + 1} of ${element.name}`}
              title="Remove this image (the file stays in media/refs/)"
              onClick={() => void commands.mutate('library.removeElementImage', { elementId: element.id, index: k }, 'Could not remove the image')}
            >
              <Icon name="x" size={11} />
            </button>
          </figure>
        ))}
        {full ? null : (
          <ImageDropZone className="lib-thumb lib-thumb--add" label={`Image file for ${element.name}`} disabled={image.busy} onFile={(f) => void image.importFile(f)}>
            {({ pick, dragOver }) => (
              <button
                type="button"
                className="lib-thumb__pick"
                onClick={pick}
                disabled={image.busy}
                aria-label={`Add image to ${element.name}`}
                title="Drop a JPG or PNG here, or click to choose one (at least 300 px on each side)"
              >
                <Icon name="plus" size={16} />
                <span>{image.busy ? 'Checking…' : dragOver ? 'Drop' : element.images.length === 0 ? 'Front view' : 'Add view'}</span>
              </button>
            )}
          </ImageDropZone>
        )}
      </div>
      {image.error ? (
        <p className="field__error" role="alert">
          {image.error}
        </p>
      ) : null}
      <div className="lib-ids">
        <ProviderIdInput
          label={`Kling element id of ${element.name}`}
          short="Kling id"
          placeholder="element id in Kling’s library (Kling API only)"
          stored={element.providerIds.kling ?? ''}
          onSave={(value) =>
            void commands.mutate(
              'library.saveElement',
              { id: element.id, name: element.name, providerIds: { ...element.providerIds, kling: value.trim() } },
              `Could not save the Kling id of “${element.name}”`,
            )
          }
        />
      </div>
    </li>
  );
}

export function ElementList() {
  const commands = useCommands();
  const elements = useStudio(useShallow((s) => s.doc?.project.elements ?? []));
  return (
    <div className="lib-col" role="group" aria-label="Elements">
      <div className="lib-col__head">
        <h3 className="lib-col__title">Elements</h3>
        <span className="panel__meta">{elements.length}</span>
      </div>
      <p className="lib-col__intro">Characters and props to keep the same from shot to shot: a front view first, then up to three more views.</p>
      {elements.length === 0 ? <p className="lib-empty">No elements yet. Name one below, then drop its pictures on it.</p> : null}
      <ul className="lib-list">
        {elements.map((el, i) => (
          <ElementCard key={el.id} element={el} index={i} />
        ))}
      </ul>
      <NewItemForm noun="element" onAdd={async (name) => Boolean(await commands.mutate('library.saveElement', { name }, `Could not add the element “${name}”`))} />
    </div>
  );
}
