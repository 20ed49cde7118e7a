// The command line's one table: every command, its arguments, its flags and their descriptions. The parser
// validates against it and `storyreel --help` is printed from it, so the two cannot disagree. Kept free of
// heavy imports (no zod, no provider clients): `storyreel --version` and `--help` load only this.
import { CAPABILITIES } from '../../shared/capabilities';
import { PRESETS } from '../../shared/export-presets';
import { parseArgs } from 'node:util';
import type { Job } from '../../shared/api';
import type { ProviderId } from '../../shared/schema';

export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** How the value is shown in the usage line: `N`, `file`, or the allowed values joined by `|`. */
  value?: string;
  /** Optional flags are shown in [brackets]; all flags are optional today. */
}

export interface CommandSpec {
  name: string;
  /** Positional arguments after the command, as shown: `<dir>`; a trailing `[<id>]` is optional. */
  args: string[];
  flags: Record<string, FlagSpec>;
  /** The description under the usage line, already wrapped. */
  about: string;
}

const providerIds = Object.keys(CAPABILITIES).join('|');
const tiers = [...new Set(Object.values(CAPABILITIES).flatMap((c) => c.tiers))].join('|');
const presets = Object.keys(PRESETS).join('|');

/** Exit codes, as documented in --help and the README. */
export const EXIT = { done: 0, failed: 1, usage: 2, waiting: 3 } as const;

/**
 * A render's exit code: 1 when a request failed or a shot was skipped for a problem; otherwise 3 when a request
 * waits for a person's decision (`storyreel resolve`); otherwise 0.
 */
export function renderExitCode(o: { unfinished: number; skipped: number; waiting: number }): number {
  if (o.unfinished || o.skipped) return EXIT.failed;
  return o.waiting ? EXIT.waiting : EXIT.done;
}

/** What `storyreel render --json` prints on stdout at the end (documented in the README; add fields, never rename). */
export interface RenderSummary {
  exitCode: number;
  project: string;
  provider: ProviderId;
  estimatedUsd: number;
  /** The price tables the estimate used ("fal.ai price list of 2026-03-13", "your price, set 2026-12-02"). */
  priceSources: string[];
  /** The requests this run sent or resumed, in the contract's Job shape (no keys in it). */
  jobs: Job[];
  /** Each problem that kept a shot back, as a sentence naming the shot and the field. */
  problems: string[];
  skippedShots: string[];
  waiting: { id: string; label: string; resolve: string }[];
  cut: { path: string; out: string | null; durationSec: number; slateShots: number };
}

const json: FlagSpec = { type: 'boolean' };

export const COMMANDS: CommandSpec[] = [
  {
    name: 'new',
    args: ['<dir>'],
    flags: { shots: { type: 'string', value: 'shots.csv' }, name: { type: 'string', value: '"Title"' } },
    about: `Create a project folder. The CSV has a header row with the columns
title,prompt,duration (required) and negative_prompt, aspect_ratio,
start_frame, end_frame (image paths relative to the CSV), group (rows with
the same label in a row form one multi-shot request), audio (on/off),
cfg_scale (optional).`,
  },
  {
    name: 'render',
    args: ['<dir>'],
    flags: {
      provider: { type: 'string', value: providerIds },
      tier: { type: 'string', value: tiers },
      takes: { type: 'string', value: 'N' },
      yes: { type: 'boolean', short: 'y' },
      out: { type: 'string', short: 'o', value: 'cut.mp4' },
      verbose: { type: 'boolean' },
      json,
    },
    about: `Generate every shot that has no take for its current settings (a take from
any cloud provider or tier counts; animatic drafts are replaced when rendering
with a cloud provider; shots with a problem are skipped and listed), stitch the
cut into <dir>/renders/preview.mp4 and copy it to --out. Prints the cost
estimate first; asks before spending money (--yes answers for you, and is
required where there is no terminal to ask). --takes N makes N variations of
each shot that needs generating (one request each). --json prints one JSON
object on stdout at the end (the progress goes to stderr).`,
  },
  {
    name: 'providers',
    args: [],
    flags: { parameters: { type: 'boolean' }, json },
    about: `Lists the providers, whether each is configured, and what each supports;
--parameters prints how every parameter maps onto each provider's API;
--json prints the list as JSON (keys shown as ····1234 only).`,
  },
  {
    name: 'jobs',
    args: ['<dir>'],
    flags: { json },
    about: `Lists the project's generation jobs: status, provider job id, time, cost;
--json prints them as JSON.`,
  },
  {
    name: 'resolve',
    args: ['<dir>', '<job>', 'submit-again|mark-failed|attach', '[<id>]'],
    flags: {},
    about: `Settles a job that needs attention (Storyreel stopped while sending it and
the provider cannot be asked whether it arrived). submit-again sends it once
more at the next render — the provider may charge twice if the first one
did arrive; attach <id> follows the job with that id from the provider's
dashboard (checked with the provider; downloaded at the next render);
mark-failed gives up on it (its estimate stays counted against the budget).`,
  },
  {
    name: 'export',
    args: ['<dir>'],
    flags: {
      preset: { type: 'string', value: presets },
      quality: { type: 'string', value: '1-100' },
      crossfade: { type: 'string', value: 'SECONDS' },
      out: { type: 'string', short: 'o', value: 'file' },
      verbose: { type: 'boolean' },
    },
    about: `Re-encode the cut (selected takes; slates where a shot has none) into
<dir>/renders/ and copy it to --out: H.264 at −14 LUFS, WebM at −16 LUFS,
or a silent GIF/WebP preview; music lanes ducked under dialogue. The
preset follows --out's extension when not given. Ctrl+C cancels.`,
  },
  {
    name: 'import-take',
    args: ['<dir>', '<shot>', '<file>'],
    flags: {},
    about: `Copy a video file into the project as a new take of a shot (by number,
id or title) and select it. The clip is checked with ffprobe and, when its
format differs from the cut's, converted once in the project's cache.`,
  },
  {
    name: 'doctor',
    args: [],
    flags: {},
    about: `Which ffmpeg and ffprobe are in use, where they were found, their versions
and features, and which providers are configured (keys are never shown).`,
  },
  {
    name: 'serve',
    args: ['<dir>'],
    flags: { port: { type: 'string', short: 'p', value: 'N' } },
    about: 'Open the studio in a browser: serves the app on 127.0.0.1 and prints its URL.',
  },
];

/** Flags every command takes. */
export const GLOBAL_FLAGS: Record<string, FlagSpec & { about: string }> = {
  help: { type: 'boolean', short: 'h', about: 'this text (after a command: that command’s usage)' },
  version: { type: 'boolean', short: 'v', about: 'the version' },
};

const EXIT_ABOUT: [number, string][] = [
  [EXIT.done, 'done'],
  [EXIT.failed, 'failed (the message says what was kept and what to do)'],
  [EXIT.usage, 'usage: unknown command or flag, missing or extra argument'],
  [EXIT.waiting, 'waiting for a decision: a request needs `storyreel resolve`'],
];

/** A command line that cannot be understood: exit 2, with the usage of the command it was meant for. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandSpec,
  ) {
    super(message);
  }
}

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

const WIDTH = 100;

/** `storyreel render <dir> [--provider …] [--tier …]`, wrapped under the command's name. */
export function usageLine(cmd: CommandSpec): string {
  const head = `  storyreel ${[cmd.name, ...cmd.args].join(' ')}`;
  const flags = Object.entries(cmd.flags).map(([name, f]) => `[--${name}${f.value ? ` ${f.value}` : ''}]`);
  const indent = ' '.repeat(`  storyreel ${cmd.name} ${cmd.args[0] ?? ''}`.length + 1);
  const lines = [head];
  for (const flag of flags) {
    const last = lines[lines.length - 1];
    if (`${last} ${flag}`.length > WIDTH && last.trim()) lines.push(`${indent}${flag}`);
    else lines[lines.length - 1] = `${last} ${flag}`;
  }
  return lines.join('\n');
}

export function commandHelp(cmd: CommandSpec): string {
  return `${usageLine(cmd)}\n${cmd.about.split('\n').map((l) => `      ${l}`).join('\n')}`;
}

export function helpText(version: string): string {
  const globals = Object.entries(GLOBAL_FLAGS).map(([name, f]) => `  ${`-${f.short}, --${name}`.padEnd(16)}${f.about}`);
  return `storyreel ${version} — storyboard → generated shots → stitched cut

Usage:
${COMMANDS.map(commandHelp).join('\n')}

Options:
${globals.join('\n')}

Exit codes:
${EXIT_ABOUT.map(([code, what]) => `  ${code}  ${what}`).join('\n')}
`;
}

export type ParsedValues = Record<string, string | boolean | undefined>;

export type Parsed =
  | { kind: 'help'; command?: CommandSpec }
  | { kind: 'version' }
  | { kind: 'run'; command: CommandSpec; args: string[]; values: ParsedValues };

function parseOptions(cmd: CommandSpec | undefined, args: string[]) {
  const options = { ...(cmd?.flags ?? {}), ...GLOBAL_FLAGS };
  const strip = Object.fromEntries(Object.entries(options).map(([k, f]) => [k, { type: f.type, ...(f.short ? { short: f.short } : {}) }]));
  try {
    return parseArgs({ args, options: strip, allowPositionals: true, strict: true });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw err;
    const flag = /'(-{1,2}[^' ]+)/.exec((err as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && cmd) {
      const own = Object.keys(cmd.flags).map((f) => `--${f}`);
      throw new UsageError(`${flag ?? 'That option'} is not an option of storyreel ${cmd.name}${own.length ? ` (its options: ${own.join(', ')})` : ' (it takes none)'}. Nothing was done.`, cmd);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`${flag ?? 'An option'} needs a value. Nothing was done.`, cmd);
    throw new UsageError(`${(err as Error).message.replace(/\.$/, '')}. Nothing was done.`, cmd);
  }
}

/** The command line checked against the table: the command, its positional arguments and its flags. */
export function parseCommandLine(argv: string[]): Parsed {
  const name = argv.find((a) => !a.startsWith('-'));
  const cmd = name === undefined ? undefined : findCommand(name);
  if (name !== undefined && !cmd) {
    throw new UsageError(`Unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`);
  }
  const { values, positionals } = parseOptions(cmd, argv);
  if (values.version) return { kind: 'version' };
  if (values.help || !cmd) return { kind: 'help', command: cmd };
  const args = positionals.slice(1);
  const required = cmd.args.filter((a) => !a.startsWith('[')).length;
  if (args.length < required) {
    throw new UsageError(`storyreel ${cmd.name} needs ${cmd.args.slice(args.length, required).join(' ')}${args.length ? ` after ${args.join(' ')}` : ''}. Nothing was done.`, cmd);
  }
  if (args.length > cmd.args.length) throw new UsageError(`Unexpected argument "${args[cmd.args.length]}". Nothing was done.`, cmd);
  return { kind: 'run', command: cmd, args, values: values as ParsedValues };
}
