// Reads the AAC frames of an MP4's sound track straight from the file, as ADTS frames — what
// `ffmpeg -i clip.mp4 -map 0:a -c copy -f adts` writes, without starting ffmpeg (which costs more than the
// copy itself when a cut has twenty clips). Only plain (non-fragmented) MP4/MOV with AAC in an 'mp4a'
// sample entry is read; for anything else it returns undefined and the caller asks ffmpeg.
//
// Boxes: ISO/IEC 14496-12 (moov/trak/mdia/hdlr/minf/stbl/stsd/stsz/stsc/stco/co64), 14496-14 (esds),
// 14496-3 §1.6.2.1 (AudioSpecificConfig), 13818-7 §6.2 (ADTS header).
import { promises as fs } from 'node:fs';

interface Box {
  type: string;
  /** Payload start and end, relative to the buffer it was read from. */
  start: number;
  end: number;
}

function* boxes(buf: Buffer, from: number, to: number): Generator<Box> {
  let p = from;
  while (p + 8 <= to) {
    let size = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    let header = 8;
    if (size === 1) {
      if (p + 16 > to) return;
      size = Number(buf.readBigUInt64BE(p + 8));
      header = 16;
    } else if (size === 0) size = to - p;
    if (size < header || p + size > to) return;
    yield { type, start: p + header, end: p + size };
    p += size;
  }
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  for (const b of boxes(buf, parent.start, parent.end)) if (b.type === type) return b;
  return undefined;
}

function path(buf: Buffer, parent: Box, ...types: string[]): Box | undefined {
  let at: Box | undefined = parent;
  for (const t of types) at = at && child(buf, at, t);
  return at;
}

/** The moov box of the file, read whole (it is small; the media data is not read here). */
async function readMoov(file: string): Promise<Buffer | undefined> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(16);
    let p = 0;
    while (p + 8 <= size) {
      await handle.read(head, 0, 16, p);
      let boxSize = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      if (boxSize === 1) boxSize = Number(head.readBigUInt64BE(8));
      else if (boxSize === 0) boxSize = size - p;
      if (boxSize < 8) return undefined;
      if (type === 'moov') {
        if (boxSize > 64 << 20) return undefined;
        const moov = Buffer.alloc(boxSize);
        await handle.read(moov, 0, boxSize, p);
        return moov;
      }
      p += boxSize;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Reads an MPEG-4 descriptor length (1–4 bytes of 7 bits each). */
function descriptorLength(buf: Buffer, p: number): { length: number; next: number } {
  let length = 0;
  for (let i = 0; i < 4; i++) {
    const b = buf[p++];
    length = (length << 7) | (b & 0x7f);
    if (!(b & 0x80)) break;
  }
  return { length, next: p };
}

/** AudioSpecificConfig from an esds box: object type, sampling frequency index, channel configuration. */
function audioConfig(buf: Buffer, esds: Box): { objectType: number; srIndex: number; channels: number } | undefined {
  let p = esds.start + 4; // version + flags
  const end = esds.end;
  // ES_Descriptor (3) → DecoderConfigDescriptor (4) → DecoderSpecificInfo (5)
  while (p < end) {
    const tag = buf[p];
    const { length, next } = descriptorLength(buf, p + 1);
    if (tag === 0x03) {
      const flags = buf[next + 2];
      p = next + 3;
      if (flags & 0x80) p += 2; // dependsOn_ES_ID
      if (flags & 0x40) p += 1 + buf[p]; // URL
      if (flags & 0x20) p += 2; // OCR_ES_Id
    } else if (tag === 0x04) {
      if (buf[next] !== 0x40) return undefined; // objectTypeIndication 0x40 = MPEG-4 Audio
      p = next + 13;
    } else if (tag === 0x05) {
      const objectType = buf[next] >> 3;
      const srIndex = ((buf[next] & 0x07) << 1) | (buf[next + 1] >> 7);
      const channels = (buf[next + 1] >> 3) & 0x0f;
      // Escape values (object type 31, explicit frequency 15) cannot be written in an ADTS header.
      // ADTS has two bits for the object type (Main, LC, SSR, LTP): HE-AAC's 5 and 29 do not fit.
      if (objectType < 1 || objectType > 4 || srIndex === 15 || channels === 0) return undefined;
      return { objectType, srIndex, channels };
    } else {
      p = next + length;
    }
  }
  return undefined;
}

function adtsHeader(cfg: { objectType: number; srIndex: number; channels: number }, payload: number): Buffer {
  const len = payload + 7;
  return Buffer.from([
    0xff,
    0xf1,
    ((cfg.objectType - 1) << 6) | (cfg.srIndex << 2) | (cfg.channels >> 2),
    ((cfg.channels & 3) << 6) | (len >> 11),
    (len >> 3) & 0xff,
    ((len & 7) << 5) | 0x1f,
    0xfc,
  ]);
}

/** Where each sample of a track lies in the file: [offset, size] pairs in decoding order. */
function sampleRanges(buf: Buffer, stbl: Box): [number, number][] | undefined {
  const stsz = child(buf, stbl, 'stsz');
  const stsc = child(buf, stbl, 'stsc');
  const stco = child(buf, stbl, 'stco') ?? child(buf, stbl, 'co64');
  if (!stsz || !stsc || !stco) return undefined;
  const fixed = buf.readUInt32BE(stsz.start + 4);
  const count = buf.readUInt32BE(stsz.start + 8);
  const sizes = Array.from({ length: count }, (_, i) => (fixed ? fixed : buf.readUInt32BE(stsz.start + 12 + i * 4)));
  const wide = stco.type === 'co64';
  const chunks = buf.readUInt32BE(stco.start + 4);
  const chunkOffset = (i: number) => (wide ? Number(buf.readBigUInt64BE(stco.start + 8 + i * 8)) : buf.readUInt32BE(stco.start + 8 + i * 4));
  const runs = buf.readUInt32BE(stsc.start + 4);
  const out: [number, number][] = [];
  let sample = 0;
  for (let r = 0; r < runs; r++) {
    const first = buf.readUInt32BE(stsc.start + 8 + r * 12) - 1;
    const perChunk = buf.readUInt32BE(stsc.start + 12 + r * 12);
    const nextFirst = r + 1 < runs ? buf.readUInt32BE(stsc.start + 8 + (r + 1) * 12) - 1 : chunks;
    for (let c = first; c < nextFirst && sample < count; c++) {
      let offset = chunkOffset(c);
      for (let k = 0; k < perChunk && sample < count; k++) {
        out.push([offset, sizes[sample]]);
        offset += sizes[sample++];
      }
    }
  }
  return sample === count ? out : undefined;
}

/**
 * The AAC frames of the first sound track of an MP4/MOV as ADTS frames (the encoder's priming frame
 * included, as ffmpeg's ADTS muxer keeps it), or undefined when the file is not one this reader handles
 * (fragmented, no AAC, an escape-coded configuration) or has no sound.
 */
export async function readAacFrames(file: string): Promise<Uint8Array[] | undefined> {
  const moov = await readMoov(file);
  if (!moov) return undefined;
  const root: Box = { type: 'moov', start: 8, end: moov.length };
  if (child(moov, root, 'mvex')) return undefined; // fragmented: the samples are described elsewhere
  for (const trak of boxes(moov, root.start, root.end)) {
    if (trak.type !== 'trak') continue;
    const hdlr = path(moov, trak, 'mdia', 'hdlr');
    if (!hdlr || moov.toString('latin1', hdlr.start + 8, hdlr.start + 12) !== 'soun') continue;
    const stbl = path(moov, trak, 'mdia', 'minf', 'stbl');
    const stsd = stbl && child(moov, stbl, 'stsd');
    if (!stbl || !stsd || moov.readUInt32BE(stsd.start + 4) !== 1) return undefined;
    const entry = boxes(moov, stsd.start + 8, stsd.end).next().value as Box | undefined;
    if (entry?.type !== 'mp4a') return undefined;
    // AudioSampleEntry: 8 bytes of SampleEntry and 20 of audio fields before its child boxes; QuickTime's
    // sound description versions 1 and 2 add 16 and 36 bytes.
    const extra = [0, 16, 36][moov.readUInt16BE(entry.start + 8)];
    if (extra === undefined) return undefined;
    const inner: Box = { type: 'mp4a', start: entry.start + 28 + extra, end: entry.end };
    // QuickTime files keep the esds inside a 'wave' box.
    const esds = child(moov, inner, 'esds') ?? path(moov, inner, 'wave', 'esds');
    const cfg = esds && audioConfig(moov, esds);
    if (!cfg) return undefined;
    const ranges = sampleRanges(moov, stbl);
    if (!ranges?.length) return undefined;
    const handle = await fs.open(file, 'r');
    try {
      const frames: Uint8Array[] = [];
      // Samples of one chunk are contiguous: read each run in one go.
      let i = 0;
      while (i < ranges.length) {
        let j = i + 1;
        while (j < ranges.length && ranges[j][0] === ranges[j - 1][0] + ranges[j - 1][1]) j++;
        const start = ranges[i][0];
        const length = ranges[j - 1][0] + ranges[j - 1][1] - start;
        const data = Buffer.alloc(length);
        const { bytesRead } = await handle.read(data, 0, length, start);
        if (bytesRead !== length) return undefined;
        for (let k = i; k < j; k++) {
          const payload = data.subarray(ranges[k][0] - start, ranges[k][0] - start + ranges[k][1]);
          frames.push(Buffer.concat([adtsHeader(cfg, payload.length), payload]));
        }
        i = j;
      }
      return frames;
    } finally {
      await handle.close();
    }
  }
  return undefined;
}
