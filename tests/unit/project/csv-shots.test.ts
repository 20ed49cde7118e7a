import { describe, expect, it } from 'vitest';
import { parseCsv, shotListFromCsv, shotsFromCsv } from '../../../electron/core/project/csv-shots';

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
    expect(() => shotsFromCsv('title,prompt,duration\nA,ok,4\nB,"b,4\nC,c,5\n')).toThrow(/row 3, column prompt: a quoted field opens here but its closing " is missing/);
    expect(() => shotsFromCsv('title,"prompt,duration\nA,b,4\n')).toThrow(/row 1, column 2: a quoted field opens here/);
  });

  it('refuses a row with more cells than the header, naming the row and the extra column', () => {
    expect(() => shotsFromCsv('title,prompt,duration\nA,b,4\nB,a lighthouse, at night,4\n')).toThrow(
      /row 3, column 4 \(past the header\): the row has 4 cells but the header has 3/,
    );
  });
});

describe('shot list CSV: frames, groups, audio and CFG', () => {
  it('reads groups of consecutive rows, audio and cfg_scale, and names the images to import', () => {
    const list = shotListFromCsv(
      'title,prompt,duration,start_frame,end_frame,group,audio,cfg_scale\n' +
        'Open,Wide shot,4,frames/a.png,frames/b.png,,on,0.7\n' +
        'Keeper,Close-up,3,,,storm,off,\n' +
        'Lamp,The lamp,4,,,storm,,\n' +
        'End,Pull back,5,,,,yes,1\n',
    );
    expect(list.shots.map((s) => [s.title, s.audio.native, s.cfgScale])).toEqual([
      ['Open', true, 0.7],
      ['Keeper', false, 0.5],
      ['Lamp', false, 0.5],
      ['End', true, 1],
    ]);
    expect(list.groups).toHaveLength(1);
    expect(list.groups[0].shotIds).toEqual([list.shots[1].id, list.shots[2].id]);
    expect(list.images).toEqual([
      { shotId: list.shots[0].id, field: 'startFrame', path: 'frames/a.png', row: 2, column: 'start_frame' },
      { shotId: list.shots[0].id, field: 'endFrame', path: 'frames/b.png', row: 2, column: 'end_frame' },
    ]);
  });

  it('refuses a group that is split, a lone group row, bad audio and CFG values, and an end frame alone', () => {
    const csv =
      'title,prompt,duration,group,audio,cfg_scale,end_frame\n' +
      'A,a,4,g1,,,\n' +
      'B,b,4,,loud,,\n' +
      'C,c,4,g1,,1.5,\n' +
      'D,d,4,,,,end.png\n';
    try {
      shotListFromCsv(csv);
      expect.unreachable();
    } catch (err) {
      expect((err as { details: string[] }).details).toEqual([
        'row 3, column audio: "loud" is not on or off',
        'row 4, column cfg_scale: "1.5" is not a number between 0 and 1',
        'row 4, column group: "g1" was used earlier; a group\'s rows must be consecutive',
        'row 5, column end_frame: an end frame needs a start frame in the same row',
        'row 2, column group: "g1" has 1 row; a multi-shot group needs 2–6 consecutive rows',
      ]);
    }
  });

  it('takes 1–2 s rows inside a group (Kling V3 shots in a multi-shot request run from 1 s), not on their own', () => {
    const list = shotListFromCsv('title,prompt,duration,group\nCut,Flash of lightning,1,storm\nKeeper,Close-up,2,storm\nLamp,The lamp,4,storm\n');
    expect(list.shots.map((s) => s.durationSec)).toEqual([1, 2, 4]);
    expect(list.groups[0].shotIds).toHaveLength(3);
    try {
      shotListFromCsv('title,prompt,duration,group\nA,a,2,\nB,b,0,g\nC,c,1,g\nD,d,1,h\nE,e,1,h\n');
      expect.unreachable();
    } catch (err) {
      expect((err as { details: string[] }).details).toEqual([
        'row 2, column duration: 2 s is outside 3–15 s (1–2 s only inside a group)',
        'row 3, column duration: 0 s is outside 1–15 s for a shot in a group',
        'row 3, column duration: group "g" adds up to 1 s; a multi-shot group runs 3–15 s in all',
        'row 5, column duration: group "h" adds up to 2 s; a multi-shot group runs 3–15 s in all',
      ]);
    }
  });
});
