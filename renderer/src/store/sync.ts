// Feeds the store from the core: an initial snapshot, then events (the document as patches per revision;
// a patch that does not fit the revision held fetches a whole state); resyncs after a reconnect.
import type { AppClient } from '../api/client';
import type { StudioStore } from './store';

export function connectStore({ store, client }: { store: StudioStore; client: AppClient }): () => void {
  const s = store.getState;

  const resync = async () => {
    try {
      const [state, jobs, preview] = await Promise.all([
        client.invoke('project.get'),
        client.invoke('jobs.list'),
        client.invoke('media.preview'),
      ]);
      s().receiveSnapshot(state);
      s().clearToasts('project.load');
      s().upsertJobs(jobs);
      if (preview) s().setPreview(preview);
      // The core stitches when the cut changes; a project opened fresh may have no preview yet, or one made
      // before (by an older version, or before lanes were added elsewhere): the stitch rebuilds it only then.
      if (state.project.shots.length > 0) {
        client.invoke('media.stitch').then(
          (p) => s().setPreview(p),
          () => {
            /* the core reports stitch failures through task.progress */
          },
        );
      }
    } catch (err) {
      s().pushToast({
        kind: 'error',
        title: 'Could not load the project',
        message: (err as Error).message,
        topic: 'project.load',
      });
    }
  };

  // One whole-state fetch at a time. A patch newer than the answer that was missed while it was on its way
  // (only if pushes and answers could pass each other) fetches once more; later patches catch up by themselves.
  let fetching = false;
  let missedRev = -1;
  const catchUp = (rev: number, again = true) => {
    missedRev = Math.max(missedRev, rev);
    if (fetching) return;
    fetching = true;
    client.invoke('project.get').then(
      (state) => {
        fetching = false;
        s().receiveSnapshot(state);
        const missed = missedRev;
        missedRev = -1;
        if (again && state.rev < missed) catchUp(missed, false);
      },
      () => {
        // Offline: the reconnect resyncs.
        fetching = false;
        missedRev = -1;
      },
    );
  };

  let wasDown = false;
  const offs = [
    client.on('project.changed', (change) => {
      if (!s().receiveChange(change)) catchUp(change.rev);
    }),
    client.on('job.updated', (job) => s().upsertJobs([job])),
    client.on('preview.ready', (preview) => s().setPreview(preview)),
    client.on('task.progress', (task) => {
      s().receiveTask(task);
      // The Export dialog shows its own outcome; a toast would say it twice.
      const shownInDialog = task.kind === 'export' && s().dialog === 'export';
      // A task's failure stands until the same kind of task succeeds (the next stitch, say) or is closed.
      if (task.done && task.error && !shownInDialog) s().pushToast({ kind: 'error', title: task.label, message: task.error, topic: `task:${task.kind}` });
      else if (task.done && !task.error) s().clearToasts(`task:${task.kind}`);
    }),
    client.onConnection((state) => {
      s().setConnection(state);
      if (state.status === 'closed') wasDown = true;
      if (state.status === 'open' && wasDown) {
        wasDown = false;
        // Runs before calls queued while offline are sent, so their answers count in the new epoch.
        s().rebase();
        s().clearTasks();
        void resync();
      }
    }),
    // Keep the selection on a shot that exists: first shot on load, a neighbour when it disappears.
    store.subscribe((state, prev) => {
      const shots = state.doc?.project.shots;
      if (!shots || state.doc === prev.doc) return;
      const selected = state.selectedShotId;
      if (selected && shots.some((x) => x.id === selected)) return;
      const oldIndex = prev.doc?.project.shots.findIndex((x) => x.id === selected) ?? -1;
      const fallback = shots[Math.min(Math.max(oldIndex, 0), shots.length - 1)];
      state.selectShot(fallback?.id ?? null);
    }),
  ];
  s().setConnection(client.connection());
  void resync();
  return () => offs.forEach((off) => off());
}
