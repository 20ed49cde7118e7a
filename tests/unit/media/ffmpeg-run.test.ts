// The runner's pure parts: the argument list it spawns (and logs), and reading ffmpeg's `-progress` report.
import { describe, expect, it } from 'vitest';
import { commandLine, concatCopyJob, runArgs, shellQuote, toArgs } from '../../../electron/core/media/ffmpeg-args';
import { outTimeSeconds, stderrTail } from '../../../electron/core/media/ffmpeg-run';

describe('runArgs', () => {
  const job = concatCopyJob('/p/cut list.ffconcat', '/p/renders/preview.mp4');

  it('is the builders’ own list with the progress report on stdout instead of the status line', () => {
    expect(runArgs(job)).toEqual(['-hide_banner', '-y', '-nostats', '-progress', 'pipe:1', ...toArgs(job).slice(2)]);
  });

  it('is what the logged command line says, word for word', () => {
    expect(commandLine('/usr/bin/ffmpeg', job)).toBe(['/usr/bin/ffmpeg', ...runArgs(job)].map(shellQuote).join(' '));
  });
});

describe('outTimeSeconds', () => {
  it('reads out_time lines of -progress', () => {
    expect(outTimeSeconds('out_time=00:00:02.500000')).toBe(2.5);
    expect(outTimeSeconds('out_time=01:02:03.250000\r')).toBeCloseTo(3723.25, 6);
  });

  it('ignores the other keys, N/A and the negative time ffmpeg reports before the first frame', () => {
    expect(outTimeSeconds('out_time_us=2500000')).toBeUndefined();
    expect(outTimeSeconds('out_time=N/A')).toBeUndefined();
    expect(outTimeSeconds('out_time=-577014:32:22.771806')).toBeUndefined();
    expect(outTimeSeconds('progress=end')).toBeUndefined();
  });
});

describe('stderrTail', () => {
  it('keeps the last lines, however they end', () => {
    expect(stderrTail('a\nb\r\nc\rd\ne\nf\ng\n', 3)).toBe('e\nf\ng');
  });
});
