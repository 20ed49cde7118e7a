// The command line's one table: what the parser accepts is exactly what --help shows, command by command.
import { describe, expect, it } from 'vitest';
import { COMMANDS, EXIT, findCommand, helpText, parseCommandLine, renderExitCode, UsageError, usageLine } from '../../../electron/core/cli-commands';

function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`storyreel ${argv.join(' ')} was accepted`);
}

/** Enough positional arguments for the command. */
const argsFor = (name: string) => findCommand(name)!.args.filter((a) => !a.startsWith('[')).map((_, i) => `arg${i}`);

describe('storyreel command line', () => {
  it('refuses a flag of another command (new --crossfade 3), naming it and the command', () => {
    const err = usageError(['new', 'film.storyreel', '--crossfade', '3']);
    expect(err.message).toContain('--crossfade is not an option of storyreel new');
    expect(err.command?.name).toBe('new');
  });

  it('accepts each command’s own flags and refuses every flag that is only another command’s', () => {
    const all = new Set(COMMANDS.flatMap((c) => Object.keys(c.flags)));
    for (const cmd of COMMANDS) {
      for (const flag of all) {
        const spec = cmd.flags[flag];
        const type = COMMANDS.find((c) => c.flags[flag])!.flags[flag].type;
        const argv = [cmd.name, ...argsFor(cmd.name), `--${flag}`, ...(type === 'string' ? ['x'] : [])];
        if (spec) {
          const parsed = parseCommandLine(argv);
          expect(parsed.kind, argv.join(' ')).toBe('run');
          if (parsed.kind === 'run') expect(parsed.values[flag], argv.join(' ')).toBe(spec.type === 'string' ? 'x' : true);
        } else {
          expect(usageError(argv).message, argv.join(' ')).toContain(`--${flag} is not an option of storyreel ${cmd.name}`);
        }
      }
    }
  });

  it('with no arguments asks for the help; --help after a command asks for that command’s', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help', command: undefined });
    expect(parseCommandLine(['render', '--help'])).toEqual({ kind: 'help', command: findCommand('render') });
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' });
  });

  it('refuses an unknown command, a missing folder and an extra argument', () => {
    expect(usageError(['rendr', 'x']).message).toContain('Unknown command "rendr"');
    expect(usageError(['jobs']).message).toContain('storyreel jobs needs <dir>');
    expect(usageError(['jobs', 'a', 'b']).message).toContain('Unexpected argument "b"');
    expect(usageError(['providers', 'a']).message).toContain('Unexpected argument "a"');
    expect(usageError(['resolve', 'dir', 'job_1']).message).toContain('needs submit-again|mark-failed|attach');
    expect(parseCommandLine(['resolve', 'dir', 'job_1', 'attach', 'abc'])).toMatchObject({ kind: 'run', args: ['dir', 'job_1', 'attach', 'abc'] });
    expect(usageError(['render', 'dir', '--takes']).message).toContain('--takes');
  });

  it('prints --help from the table: every command, every flag, and the exit codes', () => {
    const help = helpText('9.9.9');
    for (const cmd of COMMANDS) {
      expect(help).toContain(usageLine(cmd));
      for (const flag of Object.keys(cmd.flags)) expect(help).toContain(`--${flag}`);
    }
    expect(help).toMatch(/Exit codes:\n\s+0\s+done\n\s+1\s+failed.*\n\s+2\s+usage.*\n\s+3\s+waiting for a decision/);
    expect(help).toContain('render <dir> [--provider animatic|fal|replicate|lumenfall|kling]');
  });

  it('a render exits 1 when anything failed or was skipped, else 3 when a request waits for a decision', () => {
    expect(renderExitCode({ unfinished: 0, skipped: 0, waiting: 0 })).toBe(EXIT.done);
    expect(renderExitCode({ unfinished: 0, skipped: 0, waiting: 2 })).toBe(3);
    expect(renderExitCode({ unfinished: 1, skipped: 0, waiting: 2 })).toBe(1);
    expect(renderExitCode({ unfinished: 0, skipped: 1, waiting: 1 })).toBe(1);
  });
});
