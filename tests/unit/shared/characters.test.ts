// Characters across shots: one character (two images, a reference video, a voice) in three shots, and what
// fal, Kling and Replicate are sent — or why they are not — as docs/providers.md §2.6 and §5 describe.
import { describe, expect, it } from 'vitest';
import { newProject, newShot } from '../../../electron/core/project/project-folder';
import { createFalAdapter } from '../../../electron/core/providers/fal';
import { buildKlingBody } from '../../../electron/core/providers/kling';
import { klingRequestJson } from '../../../electron/core/providers/kling-json';
import type { ResolvedAssets } from '../../../electron/core/providers/provider';
import { matchCharacters, mentionQueryAt, mentionsIn } from '../../../shared/character-prompt';
import type { Project, ProviderId } from '../../../shared/schema';
import { formatIssue, validateSpec } from '../../../shared/validate';
import { currentHash, workUnits } from '../../../shared/work-units';
import { validateFalInput } from '../../mock-providers/fal';

const KLING_ID = '860213457198923776';

function film(): Project {
  const p = newProject('Harbour', [
    newShot({ title: 'Door', prompt: '@Mara walks to the lighthouse door.', durationSec: 5, startFrame: 'media/refs/door.png' }),
    newShot({ title: 'Sea', prompt: '@Mara turns to the sea.', durationSec: 5, startFrame: 'media/refs/sea.png' }),
    newShot({ title: 'Lamp', prompt: 'The lamp turns.', durationSec: 5 }),
  ]);
  p.voices = [{ id: 'voice_warm', name: 'Warm', providerIds: { fal: 'fal-voice-9', kling: 'kv-77' } }];
  p.elements = [
    {
      id: 'el_mara',
      name: 'Mara',
      kind: 'character',
      images: ['media/refs/mara-front.png', 'media/refs/mara-side.png'],
      video: { path: 'media/refs/mara.mp4', durationSec: 4 },
      voiceId: 'voice_warm',
      providerIds: { kling: KLING_ID },
    },
  ];
  const [door, sea, lamp] = p.shots;
  door.elementIds = ['el_mara'];
  sea.elementIds = ['el_mara'];
  sea.audio = { native: true, voiceIds: [], dialogue: [{ speaker: 'Mara', text: 'We are late again.', characterId: 'el_mara' }] };
  // Mara speaks off screen in the third shot.
  lamp.audio = { native: true, voiceIds: [], dialogue: [{ speaker: 'Mara', text: 'Keep it burning.', characterId: 'el_mara' }] };
  return p;
}

const units = (p: Project, provider: ProviderId) => workUnits(p, provider);
const issues = (p: Project, provider: ProviderId, i: number) => {
  const u = units(p, provider)[i];
  return validateSpec(u.spec, u.where).map(formatIssue);
};

// What fal-storage hands the fal adapter: each file as its CDN URL; the video only where it carries a voice.
const cdn = (rel: string) => `https://v3.fal.media/files/${rel.split('/').pop()}`;
function falAssets(p: Project, i: number): ResolvedAssets {
  const spec = units(p, 'fal')[i].spec;
  return {
    ...(spec.startFrame ? { startFrame: cdn(spec.startFrame) } : {}),
    elements: spec.elements.map((e) => ({
      name: e.name,
      frontal: e.frontal && cdn(e.frontal),
      references: (e.references ?? []).map(cdn),
      ...(e.video && e.voiceId ? { video: cdn(e.video), voiceId: e.voiceId } : {}),
    })),
  };
}
const falBody = (p: Project, i: number) =>
  createFalAdapter().buildSubmit(units(p, 'fal')[i].spec, falAssets(p, i), { baseUrl: 'http://fal.test', idempotencyKey: 'k' }).body as Record<string, unknown>;
const klingBody = (p: Project, i: number) => buildKlingBody(units(p, 'kling')[i].spec, { elements: [] }, 'k');

describe('a character in three shots on fal', () => {
  it('sends her images where she does not speak, with @Name as @Element1', () => {
    const p = film();
    expect(issues(p, 'fal', 0)).toEqual([]);
    const body = falBody(p, 0);
    expect(body.prompt).toBe('@Element1 walks to the lighthouse door.');
    expect(body.elements).toEqual([{ frontal_image_url: cdn('mara-front.png'), reference_image_urls: [cdn('mara-side.png')] }]);
    expect(validateFalInput('fal-ai/kling-video/v3/standard/image-to-video', { ...body, start_image_url: cdn('door.png') })).toEqual([]);
  });

  it('sends her as her video with her voice where she speaks, the line in the prompt', () => {
    const p = film();
    expect(issues(p, 'fal', 1)).toEqual([]);
    const body = falBody(p, 1);
    expect(body.prompt).toBe('@Element1 turns to the sea. @Element1 says: "We are late again."');
    expect(body.elements).toEqual([{ video_url: cdn('mara.mp4'), voice_id: 'fal-voice-9' }]);
    expect(body.generate_audio).toBe(true);
    expect(body).not.toHaveProperty('voice_ids');
    expect(validateFalInput('fal-ai/kling-video/v3/standard/image-to-video', body)).toEqual([]);
  });

  it('refuses her voice off screen (fal binds a voice to a character in the shot), naming shot and field', () => {
    expect(issues(film(), 'fal', 2)).toEqual([
      'shot 3 “Lamp”, dialogue: “Mara” speaks, but fal.ai binds a voice to a character in the shot: add “Mara” to the shot\'s characters (nothing was sent)',
    ]);
  });

  it('refuses a voice on a character without a video, naming shot and field', () => {
    const p = film();
    delete p.elements[0].video;
    expect(issues(p, 'fal', 1)).toEqual([expect.stringMatching(/^shot 2 “Sea”, voices: character “Mara” has a voice but no video/)]);
  });

  it('refuses a voice that has no fal id yet', () => {
    const p = film();
    p.voices[0].providerIds = { kling: 'kv-77' };
    expect(issues(p, 'fal', 1)).toEqual([expect.stringMatching(/^shot 2 “Sea”, dialogue: “Mara” speaks with a voice that has no fal\.ai voice id/)]);
  });
});

describe('a character in three shots on Kling', () => {
  it('goes by her element id where she does not speak (@Name as <<<element_1>>>), as a bare number', () => {
    const p = film();
    expect(issues(p, 'kling', 0)).toEqual([]);
    const body = klingBody(p, 0);
    expect(body.prompt).toBe('<<<element_1>>> walks to the lighthouse door.');
    expect(klingRequestJson(body)).toContain(`"element_list":[{"element_id":${KLING_ID}}]`);
    expect(body).not.toHaveProperty('voice_list');
  });

  it('refuses her on screen and speaking: Kling takes voices or elements, not both', () => {
    expect(issues(film(), 'kling', 1)).toEqual([
      'shot 2 “Sea”, voices: Kling (official API) takes voices or characters in one request, not both: remove the characters from this shot or the voices from its lines (nothing was sent; the shot is kept as it is)',
    ]);
  });

  it('speaks her line off screen with her voice in voice_list and <<<voice_1>>> in the prompt', () => {
    const p = film();
    expect(issues(p, 'kling', 2)).toEqual([]);
    const body = klingBody(p, 2);
    expect(body.prompt).toBe('The lamp turns. Mara <<<voice_1>>> says: "Keep it burning."');
    expect(body.voice_list).toEqual([{ voice_id: 'kv-77' }]);
    expect(body.sound).toBe('on');
    expect(body).not.toHaveProperty('element_list');
  });
});

describe('characters everywhere else', () => {
  it('Replicate refuses a shot with a character before anything is sent, naming shot and field', () => {
    const p = film();
    p.settings.tier = 'pro';
    expect(issues(p, 'replicate', 0)).toContainEqual(
      'shot 1 “Door”, elements: Replicate does not take characters (elements): remove “Mara” from this shot or pick another provider (nothing was sent)',
    );
  });

  it('refuses a prompt that names a character who is not in the shot', () => {
    const p = film();
    p.shots[2].prompt = '@Mara lights the lamp.';
    expect(issues(p, 'kling', 2)).toContainEqual(
      'shot 3 “Lamp”, prompt: names @Mara, who is not among this shot\'s characters: add “Mara” to the shot\'s characters or take the mention out (nothing was sent)',
    );
  });

  it('makes takes stale when a character’s images or voice change, not when a provider id does', () => {
    const p = film();
    const before = [0, 1].map((i) => currentHash(p, p.shots[i].id, 'fal'));
    const edit = (fn: (q: Project) => void) => {
      const q = structuredClone(p);
      fn(q);
      return [0, 1].map((i) => currentHash(q, q.shots[i].id, 'fal'));
    };
    const newImage = edit((q) => (q.elements[0].images = ['media/refs/mara-front.png', 'media/refs/mara-back.png']));
    expect(newImage[0]).not.toBe(before[0]);
    expect(newImage[1]).not.toBe(before[1]);
    const newVoice = edit((q) => {
      q.voices.push({ id: 'voice_low', name: 'Low', providerIds: { fal: 'fal-voice-2' } });
      q.elements[0].voiceId = 'voice_low';
    });
    expect(newVoice[1]).not.toBe(before[1]);
    const newLine = edit((q) => (q.shots[1].audio.dialogue[0].text = 'We are early.'));
    expect(newLine[1]).not.toBe(before[1]);
    expect(edit((q) => (q.voices[0].providerIds.fal = 'fal-voice-10'))).toEqual(before);
    expect(edit((q) => (q.elements[0].providerIds.kling = '1'))).toEqual(before);
  });

  it('adding a character to the library does not make takes of shots without it stale', () => {
    const p = film();
    const bare = structuredClone(p);
    bare.elements = [];
    bare.shots.forEach((s) => ((s.elementIds = []), (s.audio.dialogue = [])));
    const withLibrary = structuredClone(bare);
    withLibrary.elements = p.elements;
    for (const provider of ['fal', 'animatic'] as const) {
      expect(bare.shots.map((s) => currentHash(withLibrary, s.id, provider))).toEqual(bare.shots.map((s) => currentHash(bare, s.id, provider)));
    }
  });

  it('keeps the hash of a shot with an unattributed line (the animatic’s alone) as a cloud take knows it', () => {
    const p = film();
    p.shots[2].audio.dialogue = [{ speaker: 'Narrator', text: 'Night falls.' }];
    const before = currentHash(p, p.shots[2].id, 'fal');
    p.shots[2].audio.dialogue[0].text = 'Night fell.';
    expect(currentHash(p, p.shots[2].id, 'fal')).toBe(before);
  });
});

describe('the @ menu', () => {
  it('finds the query being typed after @, not inside an e-mail address', () => {
    expect(mentionQueryAt('Then @Ma', 8)).toEqual({ start: 5, query: 'Ma' });
    expect(mentionQueryAt('mail me@home', 12)).toBeNull();
    expect(mentionQueryAt('no mention', 10)).toBeNull();
  });

  it('offers names that start with the query first, then those that contain it', () => {
    const cs = [{ name: 'Old Tom' }, { name: 'Tomas' }, { name: 'Mara' }];
    expect(matchCharacters(cs, 'tom').map((c) => c.name)).toEqual(['Tomas', 'Old Tom']);
  });

  it('reads a mention of a name with a space, longest name first', () => {
    expect(mentionsIn('@Old Tom waves at @Old.', ['Old', 'Old Tom'])).toEqual(['Old Tom', 'Old']);
  });
});
