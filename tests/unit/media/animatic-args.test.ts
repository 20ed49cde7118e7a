import { describe, expect, it } from 'vitest';
import {
  cameraMoveExpressions,
  cameraMoveFor,
  copyVideoEncodeOptions,
  crossfadeTiming,
  dialogueMuxJob,
  stillShotJob,
  voicesFor,
} from '../../../electron/core/media/animatic-args';
import { targetFor, toArgs } from '../../../electron/core/media/ffmpeg-args';
import { animaticCardText, animaticParts } from '../../../electron/core/providers/animatic';
import { newProject, newShot } from '../../../electron/core/project/project-folder';
import { workUnits } from '../../../shared/work-units';
import type { GenerationSpec } from '../../../shared/generation';

const t = targetFor('16:9');
const after = (args: string[], flag: string) => args[args.lastIndexOf(flag) + 1];

/** Evaluates a zoompan expression the way ffmpeg would for one frame (only the operators we emit). */
function evalExpr(expr: string, vars: Record<string, number>): number {
  const js = expr.replace(/\b(on|iw|ih|zoom)\b/g, (v) => String(vars[v])).replace(/\bmin\(/g, 'Math.min(');
  return Function(`return (${js});`)() as number;
}

function frameOf(move: Parameters<typeof cameraMoveExpressions>[0]['move'], on: number, totalFrames = 120, firstFrame = 0) {
  const e = cameraMoveExpressions({ move, totalFrames, firstFrame });
  const zoom = evalExpr(e.z, { on });
  return { zoom, x: evalExpr(e.x, { on, iw: 3840, ih: 2160, zoom }), y: evalExpr(e.y, { on, iw: 3840, ih: 2160, zoom }) };
}

describe('animatic camera moves', () => {
  it('reads the move from the prompt, the first one mentioned winning, and defaults to a push in', () => {
    expect(cameraMoveFor('Wide shot: a lighthouse on a cliff')).toBe('push-in');
    expect(cameraMoveFor('Slow push in on the keeper')).toBe('push-in');
    expect(cameraMoveFor('Aerial pull-back as the beam sweeps the sea')).toBe('pull-out');
    expect(cameraMoveFor('The camera pulls back to reveal the storm')).toBe('pull-out');
    expect(cameraMoveFor('Zoom out from the lamp')).toBe('pull-out');
    expect(cameraMoveFor('We pan left across the harbour')).toBe('pan-left');
    expect(cameraMoveFor('Panning to the right over the rocks')).toBe('pan-right');
    expect(cameraMoveFor('Tilt up the tower to the lamp')).toBe('tilt-up');
    expect(cameraMoveFor('Crane down to the boat')).toBe('tilt-down');
    expect(cameraMoveFor('Pan right, then push in on his face')).toBe('pan-right');
    expect(cameraMoveFor('A tracking shot in the rain')).toBe('push-in');
  });

  it('pushes in from the full frame to a 15 % zoom, centred, easing in and out', () => {
    const first = frameOf('push-in', 0);
    const mid = frameOf('push-in', 59.5);
    const last = frameOf('push-in', 119);
    expect(first.zoom).toBeCloseTo(1, 6);
    expect(last.zoom).toBeCloseTo(1.15, 6);
    expect(mid.zoom).toBeCloseTo(1.075, 3);
    // Eased: the first step is much smaller than a step in the middle.
    expect(frameOf('push-in', 1).zoom - first.zoom).toBeLessThan((frameOf('push-in', 60).zoom - frameOf('push-in', 59).zoom) / 10);
    expect(last.x).toBeCloseTo((3840 - 3840 / 1.15) / 2, 3);
    expect(last.y).toBeCloseTo((2160 - 2160 / 1.15) / 2, 3);
  });

  it('pulls out from the zoomed frame to the full picture', () => {
    expect(frameOf('pull-out', 0).zoom).toBeCloseTo(1.15, 6);
    expect(frameOf('pull-out', 119).zoom).toBeCloseTo(1, 6);
  });

  it('pans and tilts across the enlarged frame in the direction named', () => {
    const room = 3840 - 3840 / 1.2;
    expect(frameOf('pan-right', 0).x).toBeCloseTo(0, 6);
    expect(frameOf('pan-right', 119).x).toBeCloseTo(room, 3);
    expect(frameOf('pan-left', 0).x).toBeCloseTo(room, 3);
    expect(frameOf('pan-left', 119).x).toBeCloseTo(0, 6);
    expect(frameOf('tilt-up', 0).y).toBeCloseTo(2160 - 2160 / 1.2, 3);
    expect(frameOf('tilt-up', 119).y).toBeCloseTo(0, 6);
    expect(frameOf('tilt-down', 119).y).toBeCloseTo(2160 - 2160 / 1.2, 3);
  });

  it('lets the end frame continue the move where the start frame is at the dissolve', () => {
    expect(frameOf('push-in', 0, 120, 40).zoom).toBeCloseTo(frameOf('push-in', 40).zoom, 9);
    expect(frameOf('push-in', 79, 120, 40).zoom).toBeCloseTo(1.15, 6);
  });
});

describe('animatic shot jobs', () => {
  it('renders a still with a camera move for exactly the shot length in the stitch format', () => {
    const job = stillShotJob({ target: t, durationSec: 5, move: 'pull-out', startImage: '/p/media/refs/a%d.png', lines: [], output: '/c/out.mp4', cwd: '/c' });
    const args = toArgs(job);
    // The image is read literally, even with a '%' in its name.
    expect(args.slice(2, 8)).toEqual(['-f', 'image2', '-pattern_type', 'none', '-i', '/p/media/refs/a%d.png']);
    const graph = after(args, '-filter_complex');
    expect(graph).toContain('zoompan=');
    expect(graph).toContain(':d=120:s=1280x720:fps=24');
    expect(graph).toContain('force_original_aspect_ratio=increase');
    expect(args).toContain('anullsrc=r=48000:cl=stereo');
    expect(after(args, '-t')).toBe('5.000');
    expect(after(args, '-video_track_timescale')).toBe('12288');
    expect(after(args, '-c:v')).toBe('libx264');
    expect(job.durationSec).toBe(5);
  });

  it('crossfades to the end frame across the middle and still ends on time', () => {
    const job = stillShotJob({ target: t, durationSec: 6, move: 'push-in', startImage: '/a.png', endImage: '/b.jpg', lines: [], output: '/o.mp4', cwd: '/c' });
    const graph = after(toArgs(job), '-filter_complex');
    const { offsetSec, durationSec } = crossfadeTiming(6);
    expect(durationSec).toBe(2);
    expect(offsetSec).toBe(2);
    expect(graph).toContain('[first][last]xfade=transition=fade:duration=2.000:offset=2.000[v]');
    // 48 frames of the start frame before the dissolve, then the end frame for the remaining 96.
    expect(graph).toMatch(/\[1:v\].*\(on\+48\).*:d=96:/);
    expect(crossfadeTiming(3)).toEqual({ offsetSec: 1, durationSec: 1 });
    expect(crossfadeTiming(15).durationSec).toBe(2);
  });

  it('speaks each line with flite from a text file, one voice per speaker, cut to the shot', () => {
    const voices = voicesFor([{ speaker: 'Keeper' }, { speaker: 'Boy' }, { speaker: 'keeper ' }]);
    expect(voices[0]).toBe(voices[2]);
    expect(voices[0]).not.toBe(voices[1]);
    const lines = [
      { textFile: '.x.line0.txt', voice: voices[0] },
      { textFile: '.x.line1.txt', voice: voices[1] },
    ];
    const job = stillShotJob({ target: t, durationSec: 4, move: 'push-in', startImage: '/a.png', lines, output: '/o.mp4', cwd: '/c' });
    const args = toArgs(job);
    expect(args).toContain(`flite=textfile=.x.line0.txt:voice=${voices[0]}`);
    expect(args).toContain(`flite=textfile=.x.line1.txt:voice=${voices[1]}`);
    expect(args).not.toContain('anullsrc=r=48000:cl=stereo');
    const graph = after(args, '-filter_complex');
    expect(graph).toContain('[lead][l0][g0][l1]concat=n=4:v=0:a=1,apad,atrim=duration=4');
    expect(graph).toContain('[1:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo');
    expect(args[args.lastIndexOf('-map')]).toBe('-map');
    expect(after(args, '-map')).toBe('[a]');
    expect(job.cwd).toBe('/c');
  });

  it('lays dialogue under a title card by copying its picture', () => {
    const args = toArgs(dialogueMuxJob({ video: '/c/card.mp4', lines: [{ textFile: '.l.txt', voice: 'slt' }], target: t, durationSec: 3, output: '/c/o.mp4', cwd: '/c' }));
    expect(after(args, '-c:v')).toBe('copy');
    expect(args).not.toContain('libx264');
    expect(args).not.toContain('-crf');
    expect(after(args, '-c:a')).toBe('aac');
    expect(after(args, '-ar')).toBe('48000');
    expect(after(args, '-video_track_timescale')).toBe('12288');
    expect(copyVideoEncodeOptions(t, 3)).toContain('+faststart');
  });
});

describe('animatic parts', () => {
  const base: GenerationSpec = {
    provider: 'animatic', tier: 'standard', aspectRatio: '16:9', durationSec: 8, audio: false, cfgScale: 0.5,
    negativePrompt: '', voiceIds: [], elements: [], startFrame: 'media/refs/a.png', endFrame: 'media/refs/b.png',
    card: { title: 'Storm' },
  };

  it('gives a single shot its frames and dialogue', () => {
    const parts = animaticParts({ ...base, prompt: 'push in', dialogue: [{ speaker: 'K', text: 'Hold on' }] });
    expect(parts).toEqual([
      { title: 'Storm', prompt: 'push in', durationSec: 8, dialogue: [{ speaker: 'K', text: 'Hold on' }], startFrame: 'media/refs/a.png', endFrame: 'media/refs/b.png' },
    ]);
  });

  it('gives a group its first shot the frames and every shot its own lines', () => {
    const parts = animaticParts({
      ...base,
      shots: [
        { shotId: 's1', label: 'shot 3', prompt: 'one', durationSec: 3, title: 'A' },
        { shotId: 's2', label: 'shot 4', prompt: 'two', durationSec: 5, title: 'B', dialogue: [{ speaker: '', text: 'Hi' }] },
      ],
    });
    expect(parts.map((p) => [p.title, p.startFrame, p.dialogue.length])).toEqual([
      ['A', 'media/refs/a.png', 0],
      ['B', undefined, 1],
    ]);
  });

  it('draws the same card for a shot before and after a reorder, which keeps its take current', () => {
    const project = newProject('p', [newShot({ title: 'Harbour', prompt: 'boats' }), newShot({ title: 'Storm', prompt: 'waves' }), newShot({ prompt: 'dawn' })]);
    const cards = (p: typeof project) =>
      new Map(workUnits(p, 'animatic').map((u) => [u.key, { hash: u.hash, text: animaticParts(u.spec).map((part, index, all) => animaticCardText({ part, index, count: all.length, aspect: '16:9' })) }]));
    const before = cards(project);
    const after = cards({ ...project, shots: [project.shots[2], project.shots[1], project.shots[0]] });
    for (const shot of project.shots) {
      expect(after.get(shot.id)!.hash).toBe(before.get(shot.id)!.hash);
      expect(after.get(shot.id)!.text).toEqual(before.get(shot.id)!.text);
    }
    // It names the shot by its title (an untitled one says so) and carries no position.
    expect(before.get(project.shots[1].id)!.text[0]).toMatchObject({ label: 'ANIMATIC', title: 'Storm', body: 'waves' });
    expect(before.get(project.shots[2].id)!.text[0].title).toBe('Untitled shot');
    for (const { text } of before.values()) expect(JSON.stringify(text)).not.toMatch(/\b(SHOT|Shot) \d/);
  });

  it('numbers the parts of a group within the group', () => {
    const part = animaticParts({ ...base, shots: [{ shotId: 's1', label: '', prompt: 'one', durationSec: 3, title: 'A' }] })[0];
    expect(animaticCardText({ part, index: 1, count: 3, aspect: '9:16' })).toEqual({ label: 'MULTI-SHOT  ·  PART 2 OF 3', title: 'A', body: 'one', footer: expect.stringContaining('9:16') });
  });
});
