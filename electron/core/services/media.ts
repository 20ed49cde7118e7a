// The cut: the stitched preview (one build at a time, rebuilt by itself after a change of the cut), the
// export (one at a time, cancellable) and the pictures of takes and lanes (posters, filmstrips, waveforms).
import type { Preview } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import type { Project } from '../../../shared/schema';
import type { ProjectSession } from '../project/session';
import { prunePlayableCopies, readPreview } from '../media/preview-file';
import { stitchProject } from '../media/stitch';
import { previewSignature } from '../media/preview-signature';
import { exportTask } from '../media/export';
import { PictureCache } from '../media/pictures';
import type { Handlers, Send } from './handlers';

export class MediaService {
  /** Posters, filmstrips and waveforms, made in the background and cached in the project. */
  readonly pictures: PictureCache;
  private stitching: Promise<Preview> | undefined;
  private stitchAgain = false;
  /** Cancels the running stitch (closing must not wait minutes for a long cut). */
  private stitchAbort: AbortController | undefined;
  private closing = false;
  private exporting: AbortController | undefined;
  private autoTimer: NodeJS.Timeout | undefined;
  /** The signature of what the preview shows: order, lengths, chosen takes, and slate contents. */
  private lastCut: string;

  constructor(
    private readonly opts: {
      session: ProjectSession;
      send: Send;
      /** Re-stitch the preview by itself when generation finishes or the cut changes (the app, not the CLI). */
      autoStitch: boolean;
    },
  ) {
    this.pictures = new PictureCache(opts.session.dir);
    this.lastCut = previewSignature(opts.session.current);
  }

  /** Called with each new state of the document: a change of what the preview shows rebuilds it. */
  projectChanged(project: Project): void {
    const cut = previewSignature(project);
    if (cut !== this.lastCut) {
      this.lastCut = cut;
      this.scheduleAutoStitch();
    }
  }

  /** New takes are ready: their pictures are made in the background before the timeline asks for them. */
  takesReady(takeIds: string[]): void {
    if (this.opts.autoStitch) void this.pictures.forProject(this.opts.session.current, { takeIds, laneIds: [] }).catch(() => {});
  }

  /**
   * Rebuilds the preview after an edit. It starts on the next turn of the event loop (so the changes of one
   * action make one stitch), not after a quiet period: the preview answers an edit as fast as it can be
   * built. Edits that come while a stitch runs make one more stitch afterwards, with the latest cut.
   */
  scheduleAutoStitch(delayMs = 0): void {
    if (!this.opts.autoStitch) return;
    clearTimeout(this.autoTimer);
    this.autoTimer = setTimeout(() => {
      this.stitch().catch(() => {
        /* reported through task.progress */
      });
    }, delayMs);
  }

  /** One stitch at a time; a request during a stitch runs once more afterwards with the latest cut. */
  stitch(): Promise<Preview> {
    if (this.stitching) {
      this.stitchAgain = true;
      return this.stitching.then(() => this.stitching ?? this.stitch());
    }
    const { session, send } = this.opts;
    const abort = (this.stitchAbort = new AbortController());
    const run = async (): Promise<Preview> => {
      const taskId = 'stitch';
      try {
        const preview = await stitchProject(session.dir, session.current, {
          signal: abort.signal,
          onProgress: (fraction, label) => send('task.progress', { taskId, kind: 'stitch', label, fraction, done: false }),
        });
        send('task.progress', { taskId, kind: 'stitch', label: 'Preview ready', fraction: 1, done: true });
        send('preview.ready', preview);
        void prunePlayableCopies(session.dir, preview.key);
        return preview;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        send('task.progress', {
          taskId,
          kind: 'stitch',
          label: 'Preview failed',
          fraction: null,
          done: true,
          error: `The preview could not be built: ${message}. Your project and clips are unchanged.`,
        });
        throw err;
      }
    };
    this.stitching = run().finally(() => {
      this.stitching = undefined;
      if (this.stitchAgain && !this.closing) {
        this.stitchAgain = false;
        void this.stitch().catch(() => {});
      }
    });
    return this.stitching;
  }

  handlers() {
    const { session, send } = this.opts;
    return {
      'media.stitch': () => this.stitch(),
      'media.preview': () => readPreview(session.dir),
      'media.export': async (request) => {
        if (this.exporting) throw new StudioError('INVALID_INPUT', 'An export is already running. Wait for it to finish or cancel it, then export again.');
        const abort = (this.exporting = new AbortController());
        try {
          return await exportTask({ dir: session.dir, project: session.current, request, signal: abort.signal, send: (p) => send('task.progress', p) });
        } finally {
          this.exporting = undefined;
        }
      },
      'media.cancelExport': () => {
        const running = this.exporting;
        running?.abort();
        return { canceled: Boolean(running) };
      },
      'media.pictures': (want) => this.pictures.forProject(session.current, want),
    } satisfies Partial<Handlers>;
  }

  /** Stops what runs: the export is canceled, and a stitch (only a preview) is canceled rather than waited for. */
  async close(): Promise<void> {
    clearTimeout(this.autoTimer);
    this.closing = true;
    this.exporting?.abort();
    // A stitch is only a preview: cancel it (its ffmpeg is killed) rather than wait for it.
    this.stitchAbort?.abort();
    await this.stitching?.catch(() => {});
  }
}
