// The bytes of a shot-list CSV as text. UTF-8 (with or without a BOM, as Excel's "CSV UTF-8" writes it)
// is read; anything else is refused, naming the row and column of the first byte that is not UTF-8,
// rather than guessed at: a Latin-1 "é" read as UTF-8 silently becomes "�" in a prompt that costs money.
import { StudioError } from '../../../shared/errors';
import { csvCellAt } from './csv-shots';

/** Byte offset of the first byte that does not begin a well-formed UTF-8 sequence; -1 when all are fine. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // past U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (c === undefined || c < min || c > max) return i;
    }
    i += need + 1;
  }
  return -1;
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/** Decodes a shot list, or refuses it with the place of the first byte that is not UTF-8. */
export function decodeCsv(buf: Buffer): string {
  const refused = 'The shot list was refused; no project was written.';
  const fix = 'Save it as UTF-8 ("CSV UTF-8" in Excel, "Unicode (UTF-8)" in LibreOffice or Numbers) and run again.';
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw new StudioError('INVALID_INPUT', `${refused} The file is UTF-16 text. ${fix}`);
  }
  const bad = firstInvalidUtf8(buf);
  if (bad < 0) return buf.toString('utf8');
  // Everything before the bad byte is valid, so its length in characters is where the bad byte's "�" lands.
  const index = buf.subarray(0, bad).toString('utf8').length;
  const at = csvCellAt(buf.toString('utf8'), index);
  const where = `row ${at.row}, column ${at.column ?? at.cell + 1}`;
  const asLatin1 = new TextDecoder('windows-1252').decode(buf.subarray(bad, bad + 1));
  const detail = `${where}: byte ${hex(buf[bad])} is not UTF-8 (in Windows-1252/Latin-1 it would be "${asLatin1}", so the file was probably saved in that encoding)`;
  throw new StudioError('INVALID_INPUT', `${refused} ${detail}. ${fix}`, [detail]);
}
