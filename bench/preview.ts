// `npm run bench -- preview`: "the preview is the film" — how long a person waits, after an edit, for the new
// preview, on a 20-shot, 2-minute cut of provider-like clips (1280×720 24 fps H.264 at ~8 Mb/s + AAC) with one
// slate shot and one music lane. The studio runs in this process behind the browser host, and the bench talks
// to it over the host's WebSocket exactly as the page does: send an edit, wait for the `preview.ready` event.
//
// Each edit is timed from sending it until `preview.ready` arrives (median of ≥ 3 runs), and compared with a
// plain `ffmpeg -f concat -safe 0 -i list.txt -c copy` of the same 20 clips measured in the same run. Every
// ffmpeg command the studio runs during the edit is counted (through setFfmpegLogger); an encode is a command
// with a codec other than `copy` (or none named, so ffmpeg's default encoder); "picture enc. s" adds up the seconds of the encodes that make picture (an encode of sound alone — the mix, a decode for the mixer — is not one): its
// output `-t` (else the `d=` of its generated input).
// An edit that starts no stitch within NO_PREVIEW_MS is printed as such: the preview never shows it.
// BENCH_RUNS=n changes the number of timed runs per edit (default 6: 3 each way).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import type { Preview, ProjectState } from '../shared/api';
import { Studio } from '../electron/core/api';
import { startHost, type RunningHost } from '../electron/core/host/server';
import { ffmpegInfo, setFfmpegLogger } from '../electron/core/media/ffmpeg';
import { createProjectFolder, newProject, newShot } from '../electron/core/project/project-folder';
import { encodeOf, kindOf, splitCommand } from './ffmpeg-count';
import type { BenchResult } from './run';

const exec = promisify(execFile);
const CLIPS = 20;
const SECONDS = 6;
/** Where the slate (a shot with no take) sits in the cut. */
const SLATE_AT = 10;
/** Goals of issue 12: under 1 s, and within 3× of a plain stream-copy concat of the same bytes. */
const GOAL_MS = 1000;
const GOAL_RATIO = 3;
/** An edit that has not started a stitch after this long did not reach the preview at all. */
const NO_PREVIEW_MS = 3000;
/** Timed runs per edit, alternating the edit back and forth. */
const RUNS = Number(process.env.BENCH_RUNS ?? 6);

const commands: string[] = [];

// ── The page's side of the WebSocket ──

class PageSocket {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id?: number; ok?: boolean; result?: unknown; error?: { message?: string }; event?: string; payload?: unknown };
      if (frame.event) {
        for (const l of this.listeners) l(frame.event, frame.payload);
        return;
      }
      const call = this.waiting.get(frame.id!);
      if (!call) return;
      this.waiting.delete(frame.id!);
      if (frame.ok) call.resolve(frame.result);
      else call.reject(new Error(frame.error?.message ?? 'call failed'));
    });
  }

  static open(host: RunningHost): Promise<PageSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
      ws.once('open', () => resolve(new PageSocket(ws)));
      ws.once('error', reject);
    });
  }

  call<T = ProjectState>(method: string, input: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, method, input }));
    });
  }

  /**
   * The next `preview.ready`. Gives up (undefined) after `idleMs` when `stitching()` still says no stitch has
   * begun (the edit did not reach the preview), or after `maxMs` in any case.
   */
  nextPreview(stitching: () => boolean, idleMs: number, maxMs = 120_000): Promise<{ preview: Preview; at: number } | undefined> {
    const t0 = performance.now();
    return new Promise((resolve) => {
      let got: { preview: Preview; at: number } | undefined;
      const l = (event: string, payload: unknown) => {
        if (event === 'preview.ready' && !got) got = { preview: payload as Preview, at: performance.now() };
      };
      this.listeners.add(l);
      const poll = setInterval(() => {
        const waited = performance.now() - t0;
        if (got || (waited > idleMs && !stitching()) || waited > maxMs) {
          clearInterval(poll);
          this.listeners.delete(l);
          resolve(got);
        }
      }, 20);
    });
  }

  /** Resolves once no event has arrived for `quietMs` (the studio has finished reacting to the last call). */
  quiet(quietMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.listeners.delete(l);
        resolve();
      };
      let timer = setTimeout(done, quietMs);
      const l = () => {
        clearTimeout(timer);
        timer = setTimeout(done, quietMs);
      };
      this.listeners.add(l);
    });
  }

  /** Calls `fn` with every event until the returned function is called. */
  on(fn: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  close(): void {
    this.ws.close();
  }
}

// ── Media, made once and kept under the OS temp dir by content ──

/** Clip i: moving pictures and a tone of its own, encoded as a provider would (bitrate-capped x264, AAC). */
function clipArgs(i: number, out: string): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=s=1280x720:r=24:d=${SECONDS}`,
    '-f', 'lavfi', '-i', `sine=f=${220 + i * 30}:r=48000:d=${SECONDS}`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '8M', '-maxrate', '10M', '-bufsize', '16M', '-pix_fmt', 'yuv420p', '-g', '48',
    '-c:a', 'aac', '-b:a', '192k', '-ac', '2', '-shortest', '-movflags', '+faststart',
    out,
  ];
}
const MUSIC_ARGS = (out: string) => [
  '-hide_banner', '-loglevel', 'error', '-y',
  '-f', 'lavfi', '-i', 'sine=f=330:r=48000:d=130', '-c:a', 'aac', '-b:a', '128k', '-ac', '2', out,
];

async function cached(dir: string, name: string, args: (out: string) => string[], ffmpeg: string): Promise<string> {
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    const tmp = `${file}.tmp${path.extname(file)}`;
    await exec(ffmpeg, args(tmp));
    await fs.rename(tmp, file);
  }
  return file;
}

// ── Measuring ──

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Run {
  ms: number | undefined;
  /** From the edit until the studio began its stitch (its debounce), when it did. */
  waitMs: number | undefined;
  /** From the start of that stitch until preview.ready. */
  stitchMs: number | undefined;
  ffmpegRuns: number;
  encodes: number;
  encodedSec: number;
  keyChanged: boolean;
  durationSec: number | undefined;
  /** The new preview is another film than the one before, and shows the edit where that can be checked. */
  shown: boolean;
}

interface Row {
  /** Name in the JSON metrics. */
  key: string;
  edit: string;
  runs: Run[];
}

/** "what: 12.3 s; 21 ffmpeg runs, 20 encodes (120.0 s encoded: 20 into cache/proxies, …)". */
function describe(what: string, ms: number, lines: string[]): string {
  const enc = lines.map((l) => ({ args: splitCommand(l), ...encodeOf(splitCommand(l)) })).filter((e) => e.encodes);
  const where = new Map<string, number>();
  for (const e of enc) {
    const kind = kindOf(e.args);
    where.set(kind, (where.get(kind) ?? 0) + 1);
  }
  const seconds = enc.reduce((n, e) => n + e.seconds, 0);
  return (
    `${what}: ${(ms / 1000).toFixed(1)} s; ${lines.length} ffmpeg runs, ${enc.length} encode${enc.length === 1 ? '' : 's'}` +
    (enc.length ? ` (${seconds.toFixed(1)} s encoded: ${[...where].map(([k, n]) => `${n} ${k}`).join(', ')})` : '')
  );
}

export async function run(): Promise<BenchResult> {
  const info = await ffmpegInfo();
  const clipDir = path.join(os.tmpdir(), `storyreel-bench-preview-${createHash('sha256').update(JSON.stringify([clipArgs(0, ''), MUSIC_ARGS(''), CLIPS])).digest('hex').slice(0, 12)}`);
  await fs.mkdir(clipDir, { recursive: true });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'sr-bench-preview-'));
  // Settings and keys of this run stay in its own folder, never the person's.
  const configBefore = process.env.STORYREEL_CONFIG_DIR;
  process.env.STORYREEL_CONFIG_DIR = path.join(work, 'config');
  const summary: string[] = [];
  const metrics: Record<string, number> = {};
  let studio: Studio | undefined;
  let host: RunningHost | undefined;
  let page: PageSocket | undefined;
  try {
    console.log(`  making ${CLIPS} provider-like clips of ${SECONDS} s (cached in ${clipDir})…`);
    const clips: string[] = [];
    for (let i = 0; i < CLIPS; i++) clips.push(await cached(clipDir, `clip-${i}.mp4`, (out) => clipArgs(i, out), info.ffmpegPath));
    const music = await cached(clipDir, 'music.m4a', MUSIC_ARGS, info.ffmpegPath);

    // Baseline: a plain stream-copy concat of the same 20 clips, in this run.
    const list = path.join(work, 'list.txt');
    await fs.writeFile(list, clips.map((c) => `file '${c.replace(/'/g, "'\\''")}'\n`).join(''));
    const base: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await exec(info.ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', path.join(work, 'concat.mp4')]);
      base.push(performance.now() - t0);
    }
    const baseMs = median(base);

    // The project: 20 shots for the clips and one slate, behind the browser host.
    const dir = path.join(work, 'bench.storyreel');
    const shots = Array.from({ length: CLIPS }, (_, i) => newShot({ title: `Shot ${i + 1}`, prompt: `lighthouse, take ${i + 1}`, durationSec: SECONDS }));
    shots.splice(SLATE_AT, 0, newShot({ title: 'Slate', prompt: 'the keeper climbs the stairs', durationSec: 4 }));
    await createProjectFolder(dir, newProject('Preview bench', shots));
    // The takes come in as `storyreel import-take` brings them (a studio that does not stitch by itself, so no
    // preview is made for each half-filled cut on the way); importing prepares each clip for the cut.
    setFfmpegLogger((line) => commands.push(line));
    const takeShots = shots.filter((_, i) => i !== SLATE_AT);
    const importT0 = performance.now();
    const cli = await Studio.open(dir, { host: 'cli' });
    let laneId: string;
    try {
      for (const [i, shot] of takeShots.entries()) await cli.call('takes.import', { shotId: shot.id, path: clips[i] });
      await cli.call('audio.addLane', { kind: 'music', path: music });
      laneId = cli.session.current.audioLanes[0].id;
    } finally {
      await cli.close();
    }
    const importMs = performance.now() - importT0;
    const importCmds = commands.splice(0);

    // The studio as `storyreel serve` runs it, and the page connected to it.
    const rendererDir = path.join(work, 'renderer');
    await fs.mkdir(rendererDir);
    await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Storyreel</title>');
    studio = await Studio.open(dir, { host: 'browser', autoStitch: true });
    let stitchStarts: number[] = [];
    host = await startHost({ studio, rendererDir });
    page = await PageSocket.open(host);
    // On open the page asks for the preview, and for a stitch when there is none yet (renderer/src/store/sync.ts).
    const firstT0 = performance.now();
    const first = (await page.call<Preview | null>('media.preview')) ?? (await page.call<Preview>('media.stitch'));
    const firstMs = performance.now() - firstT0;
    await page.quiet(800);
    const firstCmds = commands.splice(0);

    const rows: Row[] = [];
    const measure = async (
      key: string,
      edit: string,
      send: (k: number) => Promise<unknown>,
      forwardOnly: boolean,
      /** Whether the new preview shows edit k (beyond being another file than before). */
      shows: (p: Preview, k: number) => boolean = () => true,
    ): Promise<Row> => {
      const runs: Run[] = [];
      for (let k = 0; k < RUNS; k++) {
        const before = (await page!.call<Preview | null>('media.preview'))?.key;
        commands.length = 0;
        stitchStarts = [];
        const t0 = performance.now();
        // A stitch has begun when the studio first reports its progress (what the page's status line shows).
        const off = page!.on((event, payload) => {
          if (event === 'task.progress' && (payload as { kind?: string }).kind === 'stitch' && !stitchStarts.length) stitchStarts.push(performance.now());
        });
        const ready = page!.nextPreview(() => stitchStarts.length > 0, NO_PREVIEW_MS);
        await send(k);
        const got = await ready;
        off();
        await page!.quiet(500);
        const enc = commands.map((c) => encodeOf(splitCommand(c)));
        if (!forwardOnly || k % 2 === 0) {
          runs.push({
            ms: got && got.at - t0,
            waitMs: stitchStarts.length ? stitchStarts[0] - t0 : undefined,
            stitchMs: got && stitchStarts.length ? got.at - stitchStarts[0] : undefined,
            ffmpegRuns: commands.length,
            encodes: enc.filter((e) => e.encodes).length,
            encodedSec: enc.filter((e) => e.picture).reduce((n, e) => n + e.seconds, 0),
            keyChanged: Boolean(got && got.preview.key !== before),
            durationSec: got?.preview.durationSec,
            shown: Boolean(got && got.preview.key !== before && shows(got.preview, k)),
          });
        }
      }
      return { key, edit, runs };
    };
    const ids = () => studio!.session.current.shots.map((s) => s.id);

    // Reorder: shot 3 moves to a new place each run, so every run is a cut (and a sound) not seen before.
    const moving = ids()[2];
    const places = [15, 4, 12, 7, 17, 5, 14, 8, 18, 6];
    rows.push(await measure('reorder', 'reorder (shot 3 to a new place)', (k) => page!.call('shots.move', { id: moving, toIndex: places[k % places.length] }), false));

    // Retime shorter: shot 6 from 6 s to 5, 4, 3 s (a new length each time), and back to 6 s between (not counted).
    const retimed = ids()[5];
    const shorter = [5, 4, 3];
    const retimedTo = (k: number) => (k % 2 === 0 ? shorter[k / 2] : SECONDS);
    rows.push(
      await measure('retimeShorter', 'retime shorter (shot 6: 6 s → 5/4/3 s)', (k) => page!.call('shots.update', { id: retimed, patch: { durationSec: retimedTo(k) } }), true, (p, k) => {
        const seg = p.segments?.find((x) => x.shotId === retimed);
        return Boolean(seg && Math.abs(seg.durationSec - retimedTo(k)) < 0.05);
      }),
    );

    // Title edit of the slate: a new title each time, as a person typing one would make.
    const slate = shots[SLATE_AT].id;
    rows.push(await measure('slateTitle', 'title edit of the slate shot', (k) => page!.call('shots.update', { id: slate, patch: { title: `Slate, take ${k + 2}` } }), false));

    // Lane move: the music moved to a new place each time.
    rows.push(await measure('laneMove', 'music lane move', (k) => page!.call('audio.updateLane', { id: laneId, patch: { startSec: 5 * (k + 1) } }), false));

    // ── The table ──
    const cutSec = first.durationSec;
    summary.push(`ffmpeg ${info.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; cut: ${CLIPS} clips × ${SECONDS} s (1280×720 24 fps x264 ~8 Mb/s + AAC) + a 4 s slate = ${cutSec.toFixed(1)} s, one music lane`);
    summary.push(`baseline: ffmpeg -f concat -safe 0 -i list.txt -c copy of the 20 clips: ${baseMs.toFixed(0)} ms (median of 5)`);
    summary.push(`setup: ${describe(`${CLIPS} imports + the music lane (storyreel import-take's path)`, importMs, importCmds)}`);
    summary.push(`setup: ${describe('first stitch, asked for by the page on open', firstMs, firstCmds)}${first.slateShotIds.length ? `; ${first.slateShotIds.length} slate` : ''}`);
    const head = ['edit', 'median ms', '× baseline', 'of it stitching', 'ffmpeg runs', 'picture enc. s', 'edit in preview', 'within goal'];
    const table: string[][] = [];
    const notes: string[] = [];
    for (const row of rows) {
      const done = row.runs.filter((r) => r.ms !== undefined);
      const ms = done.length === row.runs.length ? median(done.map((r) => r.ms!)) : undefined;
      const stitches = done.map((r) => r.stitchMs).filter((x): x is number => x !== undefined);
      const stitchCol = stitches.length ? `${median(stitches).toFixed(0)} ms` : '—';
      const runsCol = [...new Set(row.runs.map((r) => r.ffmpegRuns))].join('/');
      const encCol = [...new Set(row.runs.map((r) => r.encodedSec.toFixed(1)))].join('/');
      const ok = ms !== undefined && ms < GOAL_MS && ms / baseMs <= GOAL_RATIO && row.runs.every((r) => r.shown);
      table.push([
        row.edit,
        ms === undefined ? (done.length ? `${done.length}/${row.runs.length} came` : 'no preview') : ms.toFixed(0),
        ms === undefined ? '—' : `${(ms / baseMs).toFixed(1)}×`,
        stitchCol,
        runsCol,
        encCol,
        `${row.runs.filter((r) => r.shown).length}/${row.runs.length}`,
        ok ? 'yes' : 'no',
      ]);
      const slug = row.key;
      metrics[`${slug}Ms`] = ms ?? -1;
      metrics[`${slug}VsBaseline`] = ms === undefined ? -1 : ms / baseMs;
      metrics[`${slug}FfmpegRuns`] = median(row.runs.map((r) => r.ffmpegRuns));
      metrics[`${slug}Encodes`] = Math.max(...row.runs.map((r) => r.encodes));
      metrics[`${slug}EncodedSec`] = Math.max(...row.runs.map((r) => r.encodedSec));
      metrics[`${slug}Shown`] = row.runs.filter((r) => r.shown).length / row.runs.length;
      if (!done.length) notes.push(`${row.edit}: no stitch began within ${NO_PREVIEW_MS / 1000} s of the edit in any of ${row.runs.length} runs, so no new preview came — the preview never shows this edit.`);
      else {
        const waits = done.map((r) => r.waitMs).filter((w): w is number => w !== undefined);
        const unchanged = done.filter((r) => !r.keyChanged).length;
        const unshown = done.filter((r) => r.keyChanged && !r.shown).length;
        const lengths = [...new Set(done.map((r) => r.durationSec!.toFixed(1)))].join(', ');
        notes.push(
          `${row.edit}: ${waits.length ? `${median(waits).toFixed(0)} ms of it waiting for the studio's debounce before the stitch began; ` : ''}` +
            `cut ${lengths} s after the edit` +
            (unchanged ? `; ${unchanged} of ${done.length} previews were the same file as before (the edit did not change the film)` : '') +
            (unshown ? `; ${unshown} of ${done.length} previews changed but did not show the edit` : ''),
        );
      }
    }
    const widths = head.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
    const line = (cells: string[]) => cells.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  ');
    summary.push(line(head), line(widths.map((w) => '─'.repeat(w))), ...table.map(line));
    summary.push(
      `goal: each under ${GOAL_MS} ms, within ${GOAL_RATIO}× of the baseline, and the edit visible in the new preview; ` +
        `"of it stitching" = from the stitch's start to preview.ready (the rest is the studio's wait before it stitches); ffmpeg runs / picture enc. s list every distinct value seen across the runs`,
    );
    summary.push(...notes);
    Object.assign(metrics, { baselineMs: baseMs, importMs, firstStitchMs: firstMs, cutSec });
  } finally {
    setFfmpegLogger(() => {});
    page?.close();
    await host?.close();
    await studio?.close();
    await fs.rm(work, { recursive: true, force: true });
    if (configBefore === undefined) delete process.env.STORYREEL_CONFIG_DIR;
    else process.env.STORYREEL_CONFIG_DIR = configBefore;
  }
  return { name: 'preview', summary, metrics };
}
