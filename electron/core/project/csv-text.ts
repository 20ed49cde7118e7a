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

// Windows-1252's 0x80–0x9F (0 = unassigned); every other byte ≥ 0xA0 is the Latin-1 code point itself.
// Spelled out because Node's TextDecoder('windows-1252') decodes these bytes as Latin-1 control codes.
const CP1252_80_9F = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** The character a byte ≥ 0x80 stands for in Windows-1252, if any. */
function cp1252(byte: number): string | undefined {
  if (byte >= 0xa0) return String.fromCharCode(byte);
  const code = CP1252_80_9F[byte - 0x80];
  return code ? String.fromCharCode(code) : undefined;
}

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
  const asCp1252 = cp1252(buf[bad]);
  const guess = asCp1252 ? ` (in Windows-1252/Latin-1 it would be "${asCp1252}", so the file was probably saved in that encoding)` : '';
  const detail = `${where}: byte ${hex(buf[bad])} is not UTF-8${guess}`;
  throw new StudioError('INVALID_INPUT', `${refused} ${detail}. ${fix}`, [detail]);
}
