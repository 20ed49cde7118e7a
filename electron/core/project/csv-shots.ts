// Shot lists from a spreadsheet: CSV with a header row. Required columns title,prompt,duration;
// optional negative_prompt, aspect_ratio, start_frame, end_frame (image paths relative to the CSV),
// group (consecutive rows with one label form a multi-shot request), audio (on/off), cfg_scale.
// Rows are numbered as a spreadsheet shows them (header = row 1).
import { capabilitiesFor, shotDurationRange } from '../../../shared/capabilities';
import { AspectRatioSchema, MAX_PROMPT_CHARS, type Group, type ProviderId, type Shot } from '../../../shared/schema';
import { newId } from '../../../shared/ids';
import { StudioError } from '../../../shared/errors';
import { newShot } from './project-folder';

const REQUIRED = ['title', 'prompt', 'duration'] as const;
const OPTIONAL = ['negative_prompt', 'aspect_ratio', 'start_frame', 'end_frame', 'group', 'audio', 'cfg_scale'] as const;
const KNOWN: readonly string[] = [...REQUIRED, ...OPTIONAL];

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  return scanCsv(text).rows;
}

/**
 * Where character `index` of `text` (as given, BOM included) lands: spreadsheet row and 0-based cell, with
 * the header's name for that cell when there is one. Used to name the place of a byte that is not UTF-8.
 */
export function csvCellAt(text: string, index: number): { row: number; cell: number; column?: string } {
  const scan = scanCsv(text, text.startsWith('\uFEFF') ? index - 1 : index, false);
  const at = scan.at ?? { row: scan.rows.length + 1, cell: 0 };
  const column = at.row > 1 ? scan.rows[0]?.[at.cell]?.trim().toLowerCase() || undefined : undefined;
  return { ...at, ...(column ? { column } : {}) };
}

function scanCsv(text: string, stopAt = -1, strict = true): { rows: string[][]; at?: { row: number; cell: number } } {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  /** Where the last quoted field opened (spreadsheet row, 0-based cell), to name it when it never closes. */
  let opened = { row: 1, cell: 0 };
  const src = text.replace(/^\uFEFF/, '');
  let at: { row: number; cell: number } | undefined;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (i === stopAt) at = { row: rows.length + 1, cell: row.length };
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      opened = { row: rows.length + 1, cell: row.length };
    }
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
  if (quoted && strict) {
    const name = opened.row > 1 ? rows[0]?.[opened.cell]?.trim().toLowerCase() : undefined;
    const where = `row ${opened.row}, column ${name || opened.cell + 1}`;
    throw new StudioError('INVALID_INPUT', `The shot list was refused; no project was written. ${where}: a quoted field opens here but its closing " is missing.`);
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  // Blank lines carry no shot.
  return { rows: rows.filter((r) => !(r.length === 1 && r[0].trim() === '')), ...(at ? { at } : {}) };
}

/** An image a row names; the caller checks and copies it into the project before anything is written. */
export interface CsvImageRef {
  shotId: string;
  field: 'startFrame' | 'endFrame';
  /** As written in the CSV (relative to the CSV's folder, or absolute). */
  path: string;
  row: number;
  column: 'start_frame' | 'end_frame';
}

export interface ShotList {
  shots: Shot[];
  groups: Group[];
  images: CsvImageRef[];
}

export function shotsFromCsv(text: string): Shot[] {
  return shotListFromCsv(text).shots;
}

/**
 * `provider` is the project's provider (a new project starts on the animatic, which takes what Kling V3
 * takes): its row of shared/capabilities.ts says how short a shot may be inside a group (1 s) and alone (3 s).
 */
export function shotListFromCsv(text: string, provider: ProviderId = 'animatic'): ShotList {
  const caps = capabilitiesFor(provider, 'standard');
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
  const images: CsvImageRef[] = [];
  const rowGroups: { label: string; rows: number[]; shotIds: string[]; seconds: number }[] = [];
  rows.slice(1).forEach((cells, i) => {
    const rowNo = i + 2;
    const get = (col: string) => {
      const idx = header.indexOf(col);
      return idx >= 0 ? (cells[idx] ?? '').trim() : '';
    };
    const fail = (col: string, msg: string) => problems.push(`row ${rowNo}, column ${col}: ${msg}`);
    if (cells.length > header.length) fail(`${header.length + 1} (past the header)`, `the row has ${cells.length} cells but the header has ${header.length} (quote fields that contain commas)`);

    const durationText = get('duration');
    const duration = Number(durationText.replace(/s$/i, ''));
    // A row inside a group may be 1–2 s (the group's total is checked below); a row on its own is 3–15 s.
    const grouped = get('group') !== '';
    const range = shotDurationRange(caps, grouped);
    if (durationText === '') fail('duration', `is empty (give whole seconds, ${range.min}–${range.max})`);
    else if (!Number.isInteger(duration)) fail('duration', `"${durationText}" is not a whole number of seconds`);
    else if (duration < range.min || duration > range.max) {
      const inGroup = shotDurationRange(caps, true);
      const note = grouped ? ' for a shot in a group' : duration >= inGroup.min && duration < range.min ? ` (${inGroup.min}–${range.min - 1} s only inside a group)` : '';
      fail('duration', `${duration} s is outside ${range.min}–${range.max} s${note}`);
    }

    const prompt = get('prompt');
    if (prompt === '') fail('prompt', 'is empty');
    if (prompt.length > MAX_PROMPT_CHARS) fail('prompt', `is ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARS}`);
    const negative = get('negative_prompt');
    if (negative.length > MAX_PROMPT_CHARS) fail('negative_prompt', `is ${negative.length} characters; the limit is ${MAX_PROMPT_CHARS}`);

    const aspectText = get('aspect_ratio');
    const aspect = aspectText ? AspectRatioSchema.safeParse(aspectText) : undefined;
    if (aspect && !aspect.success) fail('aspect_ratio', `"${aspectText}" is not one of 16:9, 9:16, 1:1`);

    const audioText = get('audio').toLowerCase();
    const audio = ['on', 'yes', 'true', '1'].includes(audioText) ? true : ['', 'off', 'no', 'false', '0'].includes(audioText) ? false : undefined;
    if (audio === undefined) fail('audio', `"${get('audio')}" is not on or off`);
    const cfgText = get('cfg_scale');
    const cfg = cfgText === '' ? 0.5 : Number(cfgText);
    if (!Number.isFinite(cfg) || cfg < 0 || cfg > 1) fail('cfg_scale', `"${cfgText}" is not a number between 0 and 1`);
    const start = get('start_frame');
    const end = get('end_frame');
    if (end && !start) fail('end_frame', 'an end frame needs a start frame in the same row');

    const label = get('group');
    if (label) {
      const last = rowGroups[rowGroups.length - 1];
      if (last?.label === label && last.rows[last.rows.length - 1] === rowNo - 1) {
        last.rows.push(rowNo);
        last.seconds += Number.isInteger(duration) ? duration : 0;
      }
      else if (rowGroups.some((g) => g.label === label)) fail('group', `"${label}" was used earlier; a group's rows must be consecutive`);
      else rowGroups.push({ label, rows: [rowNo], shotIds: [], seconds: Number.isInteger(duration) ? duration : 0 });
    }

    if (problems.length === 0) {
      const shot = newShot({
        title: get('title') || `Shot ${shots.length + 1}`,
        prompt,
        negativePrompt: negative,
        durationSec: duration,
        cfgScale: cfg,
        audio: { native: audio ?? false, voiceIds: [], dialogue: [] },
        ...(aspect?.success ? { aspectRatio: aspect.data } : {}),
      });
      shots.push(shot);
      if (start) images.push({ shotId: shot.id, field: 'startFrame', path: start, row: rowNo, column: 'start_frame' });
      if (end) images.push({ shotId: shot.id, field: 'endFrame', path: end, row: rowNo, column: 'end_frame' });
      if (label) rowGroups[rowGroups.length - 1].shotIds.push(shot.id);
    }
  });
  for (const g of rowGroups) {
    if (g.rows.length < 2 || g.rows.length > 6) {
      problems.push(`row ${g.rows[0]}, column group: "${g.label}" has ${g.rows.length} row${g.rows.length === 1 ? '' : 's'}; a multi-shot group needs 2–6 consecutive rows`);
    } else if (g.seconds < caps.minDurationSec || g.seconds > caps.maxDurationSec) {
      problems.push(`row ${g.rows[0]}, column duration: group "${g.label}" adds up to ${g.seconds} s; a multi-shot group runs ${caps.minDurationSec}–${caps.maxDurationSec} s in all`);
    }
  }
  if (problems.length) {
    throw new StudioError('INVALID_INPUT', `The shot list was refused; no project was written. ${problems.join('; ')}`, problems);
  }
  if (shots.length === 0) throw new StudioError('INVALID_INPUT', 'The CSV has a header but no shot rows.');
  const groups: Group[] = rowGroups.map((g) => ({ id: newId('grp'), shotIds: g.shotIds, shotType: 'customize' }));
  return { shots, groups, images };
}
