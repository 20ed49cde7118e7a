import { describe, expect, it } from 'vitest';
import { fieldKeyOf, fieldMessage, sortProblems } from '../../../renderer/src/features/inspector/shot-problems';

describe('sortProblems: the core pre-flight problems land on the field that fixes them', () => {
  it('maps the core field names of shared/validate.ts onto the inspector fields', () => {
    expect(fieldKeyOf('prompt')).toBe('prompt');
    expect(fieldKeyOf('negative prompt')).toBe('negativePrompt');
    expect(fieldKeyOf('duration')).toBe('durationSec');
    expect(fieldKeyOf('CFG scale')).toBe('cfgScale');
    expect(fieldKeyOf('aspect ratio')).toBe('aspectRatio');
    expect(fieldKeyOf('voices')).toBe('voices');
    expect(fieldKeyOf('voiceIds')).toBe('voices');
    expect(fieldKeyOf('end frame')).toBe('endFrame');
    expect(fieldKeyOf('audio')).toBe('nativeAudio');
    expect(fieldKeyOf('group')).toBeNull();
    expect(fieldKeyOf('reference image')).toBeNull();
  });

  it('drops the shot label the core prefixes and reads as a sentence', () => {
    expect(fieldMessage('prompt', 'shot 1 “Harbour”: is empty')).toBe('Prompt is empty.');
    expect(fieldMessage('voices', 'shot 12 “A: B”: Replicate has no voice control')).toBe('Replicate has no voice control.');
    expect(fieldMessage('endFrame', 'group of shots 2–4: an end frame needs a start frame')).toBe('An end frame needs a start frame.');
  });

  it('keeps this shot’s problems, sorts them by field, and puts the rest in a summary', () => {
    const sorted = sortProblems(
      [
        { shotId: 's1', field: 'prompt', message: 'shot 1 “A”: is empty' },
        { shotId: 's1', field: 'voices', message: 'shot 1 “A”: voices need native audio switched on' },
        { shotId: 's1', field: 'voices', message: 'shot 1 “A”: voices need native audio switched on' },
        { shotId: 's2', field: 'prompt', message: 'shot 2 “B”: is empty' },
        { shotId: 's1', field: 'reference image', message: 'shot 1 “A”: the start frame (media/refs/x.png) is missing from the project folder.' },
        { field: 'group', message: 'group of shots 1–2: 7 shots in one request' },
      ],
      's1',
    );
    expect(sorted.byField).toEqual({ prompt: ['Prompt is empty.'], voices: ['Voices need native audio switched on.'] });
    expect(sorted.other).toEqual([
      'Reference image: The start frame (media/refs/x.png) is missing from the project folder.',
      'Group: 7 shots in one request.',
    ]);
  });
});
