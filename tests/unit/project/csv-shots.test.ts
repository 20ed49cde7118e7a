import { describe, expect, it } from 'vitest';
import { parseCsv, shotsFromCsv } from '../../../electron/core/project/csv-shots';

describe('shot list CSV', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthen go"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthen go'],
    ]);
  });

  it('turns rows into shots in order, with optional columns', () => {
    const shots = shotsFromCsv(
      'title,prompt,duration,negative_prompt,aspect_ratio\n' +
        'Opening,"Wide shot: a lighthouse, storm",4,blur,\n' +
        'Keeper,Close-up of the keeper,3,,9:16\n',
    );
    expect(shots.map((s) => [s.title, s.prompt, s.durationSec, s.negativePrompt, s.aspectRatio])).toEqual([
      ['Opening', 'Wide shot: a lighthouse, storm', 4, 'blur', undefined],
      ['Keeper', 'Close-up of the keeper', 3, '', '9:16'],
    ]);
    expect(new Set(shots.map((s) => s.id)).size).toBe(2);
  });

  it('refuses a bad row naming the row and the column', () => {
    const csv = 'title,prompt,duration\nA,ok,4\nB,fine,20\nC,,5\nD,x,4.5\n';
    expect(() => shotsFromCsv(csv)).toThrow(/row 3, column duration: 20 s is outside 3–15 s/);
    try {
      shotsFromCsv(csv);
    } catch (err) {
      expect((err as { details: string[] }).details).toEqual([
        'row 3, column duration: 20 s is outside 3–15 s',
        'row 4, column prompt: is empty',
        'row 5, column duration: "4.5" is not a whole number of seconds',
      ]);
    }
  });

  it('refuses a missing required column and an unknown one', () => {
    expect(() => shotsFromCsv('title,prompt\nA,b\n')).toThrow(/required column "duration" is missing/);
    expect(() => shotsFromCsv('title,prompt,duration,lens\nA,b,4,35mm\n')).toThrow(/unknown column "lens"/);
  });

  it('refuses an unknown aspect ratio and an unclosed quote', () => {
    expect(() => shotsFromCsv('title,prompt,duration,aspect_ratio\nA,b,4,4:3\n')).toThrow(/row 2, column aspect_ratio: "4:3"/);
    expect(() => shotsFromCsv('title,prompt,duration\nA,"b,4\n')).toThrow(/closing " is missing/);
  });
});
