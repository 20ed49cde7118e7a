// What the benches count of the studio's ffmpeg work, read from the command lines ffmpeg.ts hands its logger
// (setFfmpegLogger): which commands encode, how many seconds each encodes, and what it made. Pure, so
// tests/unit/bench/ffmpeg-count.test.ts checks it against the command lines of the studio's own jobs.

/** Splits a line written by runFfmpeg: "$ " + commandLine() (bare words, or '…' with '\'' for a quote), maybe "   (in <dir>)". */
export function splitCommand(line: string): string[] {
  const bare = line.replace(/^\$ /, '').replace(/ {3}\(in .*\)$/, '');
  const args: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (let m = re.exec(bare); m; m = re.exec(bare)) args.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]);
  return args;
}

/**
 * Whether a command encodes — names a codec other than `copy`, or none at all (then ffmpeg encodes with its
 * default) — and how many seconds of media it writes when it does: the output's `-t` (after the last input),
 * else the `d=` of a generated input.
 */
export function encodeOf(args: string[]): { encodes: boolean; seconds: number; picture: boolean } {
  const codecs: string[] = [];
  const pictureCodecs: string[] = [];
  for (let i = 0; i < args.length - 1; i++) {
    if (/^-(c|codec|c:[av]|codec:[av]|vcodec|acodec)$/.test(args[i])) codecs.push(args[i + 1]);
    if (/^-(c|codec|c:v|codec:v|vcodec)$/.test(args[i])) pictureCodecs.push(args[i + 1]);
  }
  const encodes = codecs.length === 0 || codecs.some((c) => c !== 'copy');
  // Picture is encoded unless every picture codec named is `copy`, or the output has no picture (-vn, an
  // audio-only format, or only sound mapped).
  const noPicture = args.includes('-vn') || /^(adts|f32le|s16le|wav|null)$/.test(args[args.lastIndexOf('-f') + 1] ?? '') && !pictureCodecs.length;
  const picture = encodes && !noPicture && (pictureCodecs.length ? pictureCodecs.some((c) => c !== 'copy') : !codecs.length || codecs.some((c) => c !== 'copy' && !/^(aac|flac|libopus|pcm_\w+)$/.test(c)));
  if (!encodes) return { encodes, seconds: 0, picture };
  const lastInput = args.lastIndexOf('-i');
  for (let i = args.length - 2; i > lastInput; i--) if (args[i] === '-t') return { encodes, seconds: Number(args[i + 1]) || 0, picture };
  const d = args.map((a) => /(?:^|:)d=([\d.]+)/.exec(a)?.[1]).find(Boolean);
  return { encodes, seconds: d ? Number(d) : 0, picture };
}

/** What an encode made, in words, from its arguments (the stitch's own jobs in ffmpeg-args.ts). */
export function kindOf(args: string[]): string {
  const out = args[args.length - 1] ?? '';
  if (args.some((a) => a.includes('drawtext'))) return 'slate';
  if (out.includes('/proxies/')) return 'picture proxy';
  if (out.includes('.reference-')) return 'encoder reference';
  if (args.includes('adts')) return 'sound';
  if (args.includes('pcm_f32le')) return 'sound decoded for the mix';
  if (out.includes('/sound/')) return 'mixed sound (FLAC)';
  if (out.includes('/renders/')) return 'cut';
  return out.split('/').pop() ?? out;
}
