import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cardLayout,
  commandLine,
  concatCopyJob,
  concatList,
  normalizeJob,
  targetFor,
  titleCardJob,
  toArgs,
  wrapText,
} from '../../../electron/core/media/ffmpeg-args';
import { fileLogger, parseFeatures } from '../../../electron/core/media/ffmpeg';
import { matchesTarget } from '../../../electron/core/media/stitch-rules';

const files = { labelFile: 'l.txt', titleFile: 't.txt', bodyFile: 'b.txt', footerFile: 'f.txt' };

describe('ffmpeg argument builders', () => {
  it('targets 1280×720, 720×1280 and 720×720 at 24 fps with 48 kHz stereo', () => {
    expect(targetFor('16:9')).toEqual({ width: 1280, height: 720, fps: 24, sampleRate: 48000, channels: 2 });
    expect(targetFor('9:16')).toMatchObject({ width: 720, height: 1280 });
    expect(targetFor('1:1')).toMatchObject({ width: 720, height: 720 });
  });

  it('builds a title card of exactly the shot length in the stitch format', () => {
    const job = titleCardJob({ target: targetFor('16:9'), durationSec: 7, text: files, style: 'take', output: '/out/a.mp4', cwd: '/work' });
    const args = toArgs(job);
    expect(args.slice(0, 2)).toEqual(['-hide_banner', '-y']);
    expect(args).toContain('color=c=0x161a21:s=1280x720:r=24:d=0.041667'); // one frame, drawn once and held
    expect(args).toContain('anullsrc=r=48000:cl=stereo');
    // Output options follow the last input, so look flags up from the end.
    const at = (flag: string) => args[args.lastIndexOf(flag) + 1];
    expect(at('-c:v')).toBe('libx264');
    expect(at('-pix_fmt')).toBe('yuv420p');
    expect(at('-r')).toBe('24');
    expect(at('-c:a')).toBe('aac');
    expect(at('-ar')).toBe('48000');
    expect(at('-ac')).toBe('2');
    expect(at('-t')).toBe('7.000');
    expect(at('-frames:v')).toBe('168'); // exactly 7 s at 24 fps
    expect(at('-filter_complex')).toMatch(/drawtext=font=Sans:textfile=b\.txt:.*expansion=none/);
    expect(args[args.length - 1]).toBe('/out/a.mp4');
    expect(job.cwd).toBe('/work');
  });

  it('copy-concatenates through the concat demuxer without re-encoding', () => {
    expect(toArgs(concatCopyJob('/p/cut.ffconcat', '/p/renders/preview.mp4'))).toEqual([
      '-hide_banner', '-y', '-f', 'concat', '-safe', '0', '-i', '/p/cut.ffconcat',
      '-map', '0:v:0', '-map', '0:a:0', '-c', 'copy', '-movflags', '+faststart', '/p/renders/preview.mp4',
    ]);
  });

  it('quotes concat list paths, including apostrophes', () => {
    expect(concatList(['/a/b.mp4', "/o'neil/c d.mp4"])).toBe("ffconcat version 1.0\nfile '/a/b.mp4'\nfile '/o'\\''neil/c d.mp4'\n");
  });

  it('normalizes a clip without audio by adding silence, fitting without stretching', () => {
    const args = toArgs(normalizeJob({ source: '/in.mp4', hasAudio: false, durationSec: 5, target: targetFor('16:9'), output: '/out.mp4' }));
    expect(args).toContain('anullsrc=r=48000:cl=stereo');
    expect(args[args.indexOf('-vf') + 1]).toMatch(/force_original_aspect_ratio=decrease:force_divisible_by=2,pad=1280:720/);
    expect(args).toContain('1:a:0');
    const withAudio = toArgs(normalizeJob({ source: '/in.mp4', hasAudio: true, durationSec: 5, target: targetFor('16:9'), output: '/out.mp4' }));
    expect(withAudio).toContain('0:a:0');
    expect(withAudio).not.toContain('anullsrc=r=48000:cl=stereo');
  });

  it('logs a command line that can be pasted into a shell', () => {
    const line = commandLine('/usr/bin/ffmpeg', concatCopyJob("/it's/list.txt", '/out dir/p.mp4'));
    expect(line).toContain("'/it'\\''s/list.txt'");
    expect(line).toContain("'/out dir/p.mp4'");
  });

  it('wraps prompt text to the card width and marks cut-off text', () => {
    expect(wrapText('one two three four five', 9, 5)).toEqual(['one two', 'three', 'four five']);
    const lines = wrapText('word '.repeat(100), 20, 3);
    expect(lines).toHaveLength(3);
    expect(lines[2].endsWith('…')).toBe(true);
    expect(wrapText('x'.repeat(25), 10, 5)).toEqual(['xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx']);
    expect(cardLayout(targetFor('9:16')).bodyChars).toBeLessThan(cardLayout(targetFor('16:9')).bodyChars);
  });
});

describe('ffmpeg discovery', () => {
  it('reads features from -filters and -encoders output', () => {
    const filters = ' ... flite             |->A       Synthesize voice\n T.C drawtext          V->V       Draw text\n';
    const encoders = ' V....D libx264              libx264 H.264\n A..... aac                  AAC\n';
    expect(parseFeatures(filters, encoders)).toEqual({ libx264: true, drawtext: true, flite: true });
    expect(parseFeatures(' T.C drawbox  V->V  Draw a box\n', ' V....D libx265  x265\n')).toEqual({ libx264: false, drawtext: false, flite: false });
  });

  it('copies only clips that match the target exactly', () => {
    const t = targetFor('16:9');
    const ok = {
      durationSec: 4,
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      startSec: 0,
      video: { codec: 'h264', width: 1280, height: 720, fps: 24, pixFmt: 'yuv420p', timeBase: '1/12288', startSec: 0 },
      audio: { codec: 'aac', profile: 'LC', sampleRate: 48000, channels: 2, startSec: 0 },
    };
    expect(matchesTarget(ok, t)).toBe(true);
    expect(matchesTarget({ ...ok, video: { ...ok.video, width: 1276 } }, t)).toBe(false);
    expect(matchesTarget({ ...ok, video: { ...ok.video, fps: 25 } }, t)).toBe(false);
    expect(matchesTarget({ ...ok, audio: undefined }, t)).toBe(false);
    expect(matchesTarget({ ...ok, audio: { ...ok.audio, sampleRate: 44100 } }, t)).toBe(false);
  });
});

describe('ffmpeg command log', () => {
  it('appends each command line with its time to a file, and starts a new file past the size limit', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sr-ffmpeg-log-'));
    try {
      const file = path.join(dir, 'logs', 'ffmpeg.log');
      const log = fileLogger(file, 200);
      log("$ /usr/bin/ffmpeg -hide_banner -y -i 'my clip.mp4' out.mp4");
      log('$ /usr/bin/ffmpeg -hide_banner -y -i b.mp4 b-out.mp4');
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \$ \/usr\/bin\/ffmpeg -hide_banner -y -i 'my clip\.mp4' out\.mp4$/);
      // Past 200 bytes: the old log becomes ffmpeg.log.1 and the next line starts a new one.
      log('$ '.padEnd(250, 'x'));
      log('$ ffmpeg -i c.mp4 c-out.mp4');
      expect(readFileSync(`${file}.1`, 'utf8')).toContain('b-out.mp4');
      expect(readFileSync(file, 'utf8').trim().split('\n').at(-1)).toMatch(/ffmpeg -i c\.mp4 c-out\.mp4$/);
      // A log that cannot be written never throws into a stitch or an export.
      expect(() => fileLogger(path.join(file, 'inside-a-file.log'))('$ x')).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
