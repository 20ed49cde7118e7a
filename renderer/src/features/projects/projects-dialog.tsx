// New project and Open… for the browser host (the desktop app has them in its File menu). The core opens the
// chosen project in place of this one — taking its lock first, so a busy or broken project leaves this one
// open — and the page reloads onto it over the same server. Paths are within the user's home.
import { useEffect, useState, type FormEvent } from 'react';
import type { MethodOutput } from '../../../../shared/api';
import { useServices, useStudio } from '../../app/studio-context';
import { Field } from '../../components/field';
import { Icon } from '../../components/icon';
import { Modal } from '../notices/modal';
import './projects.css';

type Listing = MethodOutput<'projects.recent'>;

/** The folder a new project goes into by default: the one holding the open project. */
export function parentOf(displayPath: string): string {
  const at = displayPath.lastIndexOf('/');
  return at > 0 ? displayPath.slice(0, at) : '~';
}

export function ProjectsButton() {
  const { store } = useServices();
  // The desktop app has File › New Project… / Open Project… instead.
  if (typeof window !== 'undefined' && window.storyreel) return null;
  return (
    <button
      type="button"
      className="icon-btn toolbar__icon"
      aria-label="Projects: new or open"
      title="New project or open another one"
      onClick={() => store.getState().openDialog('projects')}
    >
      <Icon name="folder" size={17} />
    </button>
  );
}

export function ProjectsDialog() {
  const open = useStudio((s) => s.dialog === 'projects');
  if (!open) return null;
  return <ProjectsModal />;
}

function ProjectsModal() {
  const { client, store, commands } = useServices();
  const close = () => store.getState().openDialog(null);
  const [listing, setListing] = useState<Listing | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [name, setName] = useState('');
  const [folder, setFolder] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [openError, setOpenError] = useState<string | null>(null);
  const [createError, setCreateError] = useState<string | null>(null);

  useEffect(() => {
    client
      .invoke('projects.recent', {})
      .then((l) => setListing(l))
      .catch((err: Error) => setListError(err.message));
  }, [client]);

  const folderValue = folder ?? (listing ? parentOf(listing.current) : '');

  const run = async (what: () => Promise<unknown>, onError: (message: string) => void) => {
    setBusy(true);
    try {
      await commands.flushEdits();
      await what();
      // The server now serves the other project: load the studio afresh onto it.
      window.location.reload();
    } catch (err) {
      onError((err as Error).message);
      setBusy(false);
    }
  };
  const openPath = (path: string) => run(() => client.invoke('projects.open', { path }), setOpenError);
  const onOpen = (e: FormEvent) => {
    e.preventDefault();
    if (typed.trim()) void openPath(typed.trim());
  };
  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setCreateError('Give the project a name.');
    void run(() => client.invoke('projects.create', { name: name.trim(), folder: folderValue }), setCreateError);
  };

  return (
    <Modal title="Projects" onClose={close} className="projects" size="normal">
      <div className="projects__grid">
        <section className="projects__section" aria-labelledby="projects-open">
          <h3 id="projects-open" className="projects__heading">
            Open
          </h3>
          {listError ? <p className="field__error">{listError}</p> : null}
          {listing && listing.recent.length > 0 ? (
            <ul className="projects__recent" aria-label="Recent projects">
              {listing.recent.map((p) => (
                <li key={p.path}>
                  <button type="button" className="projects__item" title={p.path} disabled={busy} onClick={() => void openPath(p.path)}>
                    <Icon name="film" size={15} />
                    <span className="projects__item-text">
                      <span className="projects__item-name">{p.name}</span>
                      <span className="projects__item-path">{p.path}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          ) : listing ? (
            <p className="projects__empty">No other recent projects yet.</p>
          ) : null}
          <form onSubmit={onOpen} className="projects__form">
            <Field label="Project folder" error={openError} hint="A .storyreel folder inside your home, e.g. ~/films/Lighthouse.storyreel">
              {(control) => (
                <input {...control} className="input" value={typed} placeholder="~/…/Project.storyreel" spellCheck={false} onChange={(e) => (setTyped(e.target.value), setOpenError(null))} />
              )}
            </Field>
            <button type="submit" className="btn btn--secondary" disabled={busy || !typed.trim()}>
              Open
            </button>
          </form>
        </section>
        <section className="projects__section" aria-labelledby="projects-new">
          <h3 id="projects-new" className="projects__heading">
            New project
          </h3>
          <form onSubmit={onCreate} className="projects__form">
            <Field label="Name" error={createError && !name.trim() ? createError : null}>
              {(control) => <input {...control} className="input" value={name} placeholder="Night Ferry" onChange={(e) => (setName(e.target.value), setCreateError(null))} />}
            </Field>
            <Field label="In folder" error={createError && name.trim() ? createError : null} hint={name.trim() ? `Creates ${folderValue.replace(/\/$/, '')}/${name.trim()}.storyreel` : 'Inside your home folder'}>
              {(control) => <input {...control} className="input" value={folderValue} spellCheck={false} onChange={(e) => (setFolder(e.target.value), setCreateError(null))} />}
            </Field>
            <button type="submit" className="btn btn--primary" disabled={busy}>
              Create and open
            </button>
          </form>
        </section>
      </div>
      <p className="projects__note">The open project is saved and closed first; its jobs carry on the next time it is opened.</p>
    </Modal>
  );
}
