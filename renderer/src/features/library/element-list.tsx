// The project's element library: characters, props and locations kept consistent across shots. Each has a
// name, up to four pictures (a front view first; sent inline to fal and Lumenfall), an optional reference
// video (3–10.05 s: fal binds a voice only to a character given as a video), a voice and, for Kling's own
// API, the id of the element in Kling's library. The card says what each provider will do with it.
import { useShallow } from 'zustand/react/shallow';
import { ELEMENT_VIDEO_MAX_SEC, ELEMENT_VIDEO_MIN_SEC } from '../../../../shared/limits';
import type { Element as LibElement } from '../../../../shared/schema';
import { elementPlan } from './element-plan';
import { useCommands, useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';
import { ImageDropZone, useImageImport } from '../inspector/image-drop';
import { LibraryNameInput } from './synced-text';
import { NewItemForm, ProviderIdInput } from './voice-list';
import { LibraryFileRow } from './library-file-row';

type Element = LibElement;
const KINDS = [
  { id: 'character', label: 'Character' },
  { id: 'prop', label: 'Prop' },
  { id: 'location', label: 'Location' },
] as const;

function VideoRow({ element }: { element: Element }) {
  return (
    <LibraryFileRow
      file={element.video}
      label="Video"
      pickLabel={`Add video (${ELEMENT_VIDEO_MIN_SEC}–${ELEMENT_VIDEO_MAX_SEC} s)`}
      pickTitle={`A ${ELEMENT_VIDEO_MIN_SEC}–${ELEMENT_VIDEO_MAX_SEC} s clip of ${element.name}: fal carries a voice only on a character given as a video`}
      accept="video/mp4,video/quicktime,video/webm,.mp4,.mov,.webm"
      inputLabel={`Reference video of ${element.name}`}
      removeLabel={`Remove the video of ${element.name}`}
      fail={`Could not set the video of “${element.name}”`}
      method="library.setElementVideo"
      input={(path) => ({ elementId: element.id, path })}
    />
  );
}

const MAX_IMAGES = 4;

function ElementCard({ element, index }: { element: Element; index: number }) {
  const { commands, client } = useServices();
  const image = useImageImport((p) => ({ method: 'library.addElementImage', input: { elementId: element.id, path: p } }), `Could not add that image to “${element.name}”`);
  const full = element.images.length >= MAX_IMAGES;
  const voices = useStudio(useShallow((s) => s.doc?.project.voices ?? []));
  const save = (patch: { kind?: Element['kind']; voiceId?: string | null }) =>
    void commands.mutate('library.saveElement', { id: element.id, name: element.name, ...patch }, `Could not save “${element.name}”`);
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
      <div className="lib-row">
        <select className="input lib-kind" aria-label={`Kind of ${element.name}`} value={element.kind} onChange={(e) => save({ kind: e.target.value as Element['kind'] })}>
          {KINDS.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </select>
        {element.kind === 'character' ? (
          <select className="input lib-voice" aria-label={`Voice of ${element.name}`} value={element.voiceId ?? ''} onChange={(e) => save({ voiceId: e.target.value || null })}>
            <option value="">No voice</option>
            {voices.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        ) : null}
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
      <VideoRow element={element} />
      <div className="lib-ids">
        <ProviderIdInput
          label={`Kling element id of ${element.name}`}
          short="Kling id"
          placeholder="element id in Kling’s library (Kling API only)"
          stored={element.providerIds.kling ?? ''}
          onSave={(value) =>
            void commands.mutate(
              'library.saveElement',
              { id: element.id, name: element.name, providerIds: { kling: value.trim() } },
              `Could not save the Kling id of “${element.name}”`,
            )
          }
        />
      </div>
      <ul className="lib-plan" aria-label={`What each provider does with ${element.name}`}>
        {elementPlan(element, voices).map((line, k) => (
          <li key={k} className={line.blocked ? 'lib-plan__line lib-plan__line--blocked' : 'lib-plan__line'}>
            <strong>{line.provider}:</strong> {line.text}
          </li>
        ))}
      </ul>
    </li>
  );
}

export function ElementList() {
  const commands = useCommands();
  const elements = useStudio(useShallow((s) => s.doc?.project.elements ?? []));
  return (
    <div className="lib-col" role="group" aria-label="Elements">
      <div className="lib-col__head">
        <h3 className="lib-col__title">Characters &amp; elements</h3>
        <span className="panel__meta">{elements.length}</span>
      </div>
      <p className="lib-col__intro">
        Characters, props and locations to keep the same from shot to shot: a front view first, then up to three more views. Write <code>@Name</code> in a prompt to
        place one.
      </p>
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
