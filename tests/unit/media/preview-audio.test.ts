// What the preview's sound and slates depend on (issue 12): which lanes are heard, which audio files a lane
// refuses and why, and which edits make the studio build the preview again.
import { describe, expect, it } from 'vitest';
import { heardLanes, laneAudioProblem } from '../../../electron/core/media/preview-audio';
import { previewSignature } from '../../../electron/core/media/preview-signature';
import { newProject, newShot } from '../../../electron/core/project/project-folder';
import type { Project, Take } from '../../../shared/schema';

describe('lane files', () => {
  it('refuses a score longer than 2 h with its length and what to do', () => {
    expect(laneAudioProblem({ name: 'epic.mp3', hasAudio: true, durationSec: 2 * 3600 + 61 })).toBe(
      'Nothing was added: epic.mp3 is 2 h 1 min long; a lane takes at most 2 h. Cut the file down, then add it again.',
    );
  });
  it('refuses a file with no sound or no length, and takes an ordinary score', () => {
    expect(laneAudioProblem({ name: 'notes.wav', readable: false, hasAudio: false, durationSec: undefined })).toBe(
      'Nothing was added: notes.wav could not be read as audio. Choose a WAV, MP3, AAC, FLAC or Opus file.',
    );
    expect(laneAudioProblem({ name: 'clip.mp4', hasAudio: false, durationSec: 5 })).toMatch(/clip\.mp4 has no sound in it/);
    expect(laneAudioProblem({ name: 'blank.wav', hasAudio: true, durationSec: 0 })).toMatch(/blank\.wav is 0 s long/);
    expect(laneAudioProblem({ name: 'score.wav', hasAudio: true, durationSec: 180 })).toBeUndefined();
    expect(laneAudioProblem({ name: 'score.wav', hasAudio: true, durationSec: 7200 })).toBeUndefined();
  });
  it('does not play a lane that starts at or past the end of the cut', () => {
    const lanes = [{ startSec: -2 }, { startSec: 0 }, { startSec: 8.9 }, { startSec: 9 }, { startSec: 40 }];
    expect(heardLanes(lanes, 9)).toEqual([{ startSec: -2 }, { startSec: 0 }, { startSec: 8.9 }]);
  });
});

describe('what makes the preview be built again', () => {
  const take = (id: string): Take => ({
    id, jobId: 'j', provider: 'animatic', tier: 'standard', request: { hash: 'h', params: {} }, status: 'ready',
    media: { path: `media/takes/${id}.mp4`, sha256: 'a'.repeat(64), durationSec: 5, width: 1280, height: 720, fps: 24, hasAudio: true },
    estimatedUsd: 0, review: { rating: 0, flag: 'none', notes: [] }, createdAt: new Date(0).toISOString(),
  });
  const project = (): Project => {
    const p = newProject('P', [newShot({ title: 'Slate', prompt: 'a lighthouse', durationSec: 5 }), newShot({ title: 'Taken', durationSec: 5 })]);
    p.shots[1].takes = [take('t1')];
    p.shots[1].selectedTakeId = 't1';
    return p;
  };
  const after = (edit: (p: Project) => void, setup: (p: Project) => void = () => {}) => {
    const p = project();
    setup(p);
    const before = previewSignature(p);
    edit(p);
    return previewSignature(p) !== before;
  };

  it('a slate’s title, prompt and pictures change what the preview shows', () => {
    expect(after((p) => (p.shots[0].title = 'Dawn'))).toBe(true);
    expect(after((p) => (p.shots[0].prompt = 'a storm'))).toBe(true);
    expect(after((p) => (p.shots[0].startFrame = 'media/refs/abc.png'))).toBe(true);
    expect(after((p) => (p.shots[0].endFrame = 'media/refs/def.png'))).toBe(true);
  });
  it('a shot with a take plays its take: its title and prompt do not rebuild the preview', () => {
    expect(after((p) => (p.shots[1].title = 'Renamed'))).toBe(false);
    expect(after((p) => (p.shots[1].prompt = 'other words'))).toBe(false);
  });
  it('adding, moving, muting or removing a lane changes the preview’s sound', () => {
    const lane = { id: 'l1', kind: 'music' as const, path: 'media/audio/a.wav', startSec: 0, gainDb: -6, duck: true };
    expect(after((p) => p.audioLanes.push(lane))).toBe(true);
    const withLane = (edit: (l: typeof lane) => void) => after((p) => edit(p.audioLanes[0] as typeof lane), (p) => (p.audioLanes = [{ ...lane }]));
    expect(withLane(() => {})).toBe(false);
    expect(withLane((l) => (l.startSec = 2))).toBe(true);
    expect(withLane((l) => (l.gainDb = -60))).toBe(true);
    expect(withLane((l) => (l.duck = false))).toBe(true);
    expect(after((p) => (p.audioLanes = []), (p) => (p.audioLanes = [{ ...lane }]))).toBe(true);
  });
});
