// Shot lists from a spreadsheet: CSV with a header row. Required columns title,prompt,duration;
// optional negative_prompt,aspect_ratio. Rows are numbered as a spreadsheet shows them (header = row 1).
import { AspectRatioSchema, MAX_PROMPT_CHARS, MAX_SHOT_SECONDS, MIN_SHOT_SECONDS, type Shot } from '../../../shared/schema';
import { StudioError } from '../../../shared/errors';
import { newShot } from './project-folder';

const REQUIRED = ['title', 'prompt', 'duration'] as const;
const OPTIONAL = ['negative_prompt', 'aspect_ratio'] as const;
const KNOWN: readonly string[] = [...REQUIRED, ...OPTIONAL];

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new StudioError('INVALID_INPUT', 'The CSV ends inside a quoted field — a closing " is missing.');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  // Blank lines carry no shot.
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ''));
}

export function shotsFromCsv(text: string): Shot[] {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new StudioError('INVALID_INPUT', 'The CSV is empty: it needs a header row (title,prompt,duration) and one row per shot.');
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const problems: string[] = [];
  for (const name of header) {
    if (!KNOWN.includes(name)) problems.push(`row 1: unknown column "${name}" (known columns: ${KNOWN.join(', ')})`);
  }
  for (const name of REQUIRED) {
    if (!header.includes(name)) problems.push(`row 1: required column "${name}" is missing`);
  }
  if (problems.length) throw new StudioError('INVALID_INPUT', `The shot list has a bad header. ${problems.join('; ')}`, problems);

  const shots: Shot[] = [];
  rows.slice(1).forEach((cells, i) => {
    const rowNo = i + 2;
    const get = (col: string) => {
      const idx = header.indexOf(col);
      return idx >= 0 ? (cells[idx] ?? '').trim() : '';
    };
    const fail = (col: string, msg: string) => problems.push(`row ${rowNo}, column ${col}: ${msg}`);
    if (cells.length > header.length) fail(header[header.length - 1], `the row has ${cells.length} cells but the header has ${header.length} (quote fields that contain commas)`);

    const durationText = get('duration');
    const duration = Number(durationText.replace(/s$/i, ''));
    if (durationText === '') fail('duration', 'is empty (give whole seconds, 3–15)');
    else if (!Number.isInteger(duration)) fail('duration', `"${durationText}" is not a whole number of seconds`);
    else if (duration < MIN_SHOT_SECONDS || duration > MAX_SHOT_SECONDS)
      fail('duration', `${duration} s is outside ${MIN_SHOT_SECONDS}–${MAX_SHOT_SECONDS} s`);

    const prompt = get('prompt');
    if (prompt === '') fail('prompt', 'is empty');
    if (prompt.length > MAX_PROMPT_CHARS) fail('prompt', `is ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARS}`);
    const negative = get('negative_prompt');
    if (negative.length > MAX_PROMPT_CHARS) fail('negative_prompt', `is ${negative.length} characters; the limit is ${MAX_PROMPT_CHARS}`);

    const aspectText = get('aspect_ratio');
    const aspect = aspectText ? AspectRatioSchema.safeParse(aspectText) : undefined;
    if (aspect && !aspect.success) fail('aspect_ratio', `"${aspectText}" is not one of 16:9, 9:16, 1:1`);

    if (problems.length === 0) {
      shots.push(
        newShot({
          title: get('title') || `Shot ${shots.length + 1}`,
          prompt,
          negativePrompt: negative,
          durationSec: duration,
          ...(aspect?.success ? { aspectRatio: aspect.data } : {}),
        }),
      );
    }
  });
  if (problems.length) {
    throw new StudioError('INVALID_INPUT', `The shot list was refused; no project was written. ${problems.join('; ')}`, problems);
  }
  if (shots.length === 0) throw new StudioError('INVALID_INPUT', 'The CSV has a header but no shot rows.');
  return shots;
}
