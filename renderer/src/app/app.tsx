import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ExportDialog } from '../features/export/export-dialog';
import { ProjectsDialog } from '../features/projects/projects-dialog';
import { DraftsDialog } from '../features/inspector/drafts-dialog';
import { Inspector } from '../features/inspector/inspector';
import { JobsPanel } from '../features/jobs/jobs-panel';
import { ShortcutsOverlay } from '../features/keyboard/shortcuts-overlay';
import { useShortcuts } from '../features/keyboard/use-shortcuts';
import { StudioMain } from '../features/layout/studio-layout';
import { ConnectionBanner } from '../features/notices/connection-banner';
import { RecoveryNotice } from '../features/notices/recovery-notice';
import { SaveFailureNotice } from '../features/notices/save-failure-notice';
import { Toasts } from '../features/notices/toasts';
import { PreviewPlayer } from '../features/player/preview-player';
import { ShotList } from '../features/shots/shot-list';
import { Timeline } from '../features/timeline/timeline';
import { SettingsDialog } from '../features/settings/settings-dialog';
import { ConfirmGenerateDialog } from '../features/toolbar/confirm-generate';
import { GenerateBlockNote, Toolbar } from '../features/toolbar/toolbar';
import { selectSaveState } from '../store/selectors';
import { useStudio } from './studio-context';

/** The window title carries the project name and a • while changes are not on disk yet. */
/** Its own component: the save state flips several times per save, and only the title should re-render. */
function DocumentTitle(): null {
  useDocumentTitle();
  return null;
}

function useDocumentTitle() {
  const { name, state } = useStudio(useShallow((s) => ({ name: s.doc?.project.name, state: selectSaveState(s) })));
  useEffect(() => {
    document.title = name ? `${state === 'saved' ? '' : '• '}${name} — Storyreel` : 'Storyreel';
  }, [name, state]);
}

export function App() {
  useShortcuts();
  return (
    <div className="studio">
      <DocumentTitle />
      <Toolbar />
      <div className="studio__notices">
        <ConnectionBanner />
        <RecoveryNotice />
        <SaveFailureNotice />
        <GenerateBlockNote />
      </div>
      <StudioMain>
        <ShotList />
        <PreviewPlayer />
        <Inspector />
        <Timeline />
        <JobsPanel />
      </StudioMain>
      <Toasts />
      <SettingsDialog />
      <ExportDialog />
      <ProjectsDialog />
      <ShortcutsOverlay />
      <ConfirmGenerateDialog />
      <DraftsDialog />
    </div>
  );
}
