import { describe, expect, it } from 'vitest';
import { decodeCsv, firstInvalidUtf8 } from '../../../electron/core/project/csv-text';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('shot list encoding', () => {
  it('finds the first byte that is not well-formed UTF-8', () => {
    expect(firstInvalidUtf8(Buffer.from('Café ☕ 🎬', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(bytes(0x41, 0xe9, 0x42))).toBe(1); // Latin-1 é
    expect(firstInvalidUtf8(bytes(0xc0, 0xaf))).toBe(0); // overlong "/"
    expect(firstInvalidUtf8(bytes(0x41, 0xed, 0xa0, 0x80))).toBe(1); // a UTF-16 surrogate
    expect(firstInvalidUtf8(bytes(0xf4, 0x90, 0x80, 0x80))).toBe(0); // past U+10FFFF
    expect(firstInvalidUtf8(bytes(0x41, 0x42, 0xe2, 0x82))).toBe(2); // cut short at the end
  });

  it('reads UTF-8 with its BOM kept for the parser, and refuses UTF-16 and Windows-1252', () => {
    expect(decodeCsv(Buffer.from('\uFEFFtitle\n', 'utf8'))).toBe('\uFEFFtitle\n');
    expect(() => decodeCsv(Buffer.from('\uFEFFtitle\n', 'utf16le'))).toThrow(/UTF-16/);
    // 0x93/0x94 are Windows-1252 curly quotes; the column is named from the header.
    expect(() => decodeCsv(Buffer.concat([Buffer.from('title,prompt,duration\nA,'), Buffer.from([0x93]), Buffer.from('hi'), Buffer.from([0x94]), Buffer.from(',4\n')]))).toThrow(
      /row 2, column prompt: byte 0x93 is not UTF-8 \(in Windows-1252\/Latin-1 it would be "\u201c"/,
    );
  });
});
