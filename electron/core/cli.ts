// `storyreel` command line: headless use of the core (new / render / serve / …). The commands, their flags
// and the help text come from one table (cli-commands.ts); each command's code is loaded only when it runs,
// so `storyreel --version` and `--help` start at once.
import { StudioError } from '../../shared/errors';
import { describeSystemError, isSystemError } from '../../shared/system-errors';
import { appVersion } from './app-version';
import { commandHelp, EXIT, helpText, parseCommandLine, UsageError } from './cli-commands';

/** Refuses a folder that is not a project (loaded on use: it reads the project format, which --version never needs). */
async function requireProjectFolder(dir: string): Promise<void> {
  const { assertProjectFolder } = await import('./project/project-folder');
  await assertProjectFolder(dir);
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === 'version') {
    console.log(appVersion());
    return EXIT.done;
  }
  if (parsed.kind === 'help') {
    console.log(parsed.command ? commandHelp(parsed.command) : helpText(appVersion()));
    return EXIT.done;
  }
  const { command, args, values } = parsed;
  const [dir, ...rest] = args;
  const json = values.json === true;
  switch (command.name) {
    case 'new': {
      const { cmdNew } = await import('./cli-new');
      await cmdNew(dir, values as { shots?: string; name?: string });
      return EXIT.done;
    }
    case 'render': {
      await requireProjectFolder(dir);
      const { cmdRender } = await import('./cli-render');
      return cmdRender(dir, values as Parameters<typeof cmdRender>[1]);
    }
    case 'export': {
      await requireProjectFolder(dir);
      const { cmdExport } = await import('./cli-export');
      return cmdExport(dir, values as Parameters<typeof cmdExport>[1]);
    }
    case 'serve': {
      await requireProjectFolder(dir);
      const { cmdServe } = await import('./cli-serve');
      await cmdServe(dir, values as { port?: string });
      return -1; // keeps running
    }
    case 'jobs': {
      await requireProjectFolder(dir);
      const { cmdJobs } = await import('./cli-jobs');
      return cmdJobs(dir, { json });
    }
    case 'resolve': {
      await requireProjectFolder(dir);
      const { cmdResolve } = await import('./cli-jobs');
      return cmdResolve(dir, rest);
    }
    case 'doctor': {
      const { cmdDoctor } = await import('./cli-media');
      return cmdDoctor();
    }
    case 'import-take': {
      await requireProjectFolder(dir);
      const { cmdImportTake } = await import('./cli-media');
      return cmdImportTake({ dir, args: rest });
    }
    case 'providers': {
      const { cmdParameters, cmdProviders } = await import('./cli-providers');
      if (values.parameters) cmdParameters();
      else cmdProviders({ json });
      return EXIT.done;
    }
  }
  throw new UsageError(`storyreel ${command.name} is in the command table but has no code.`);
}

export async function run(argv: string[]): Promise<void> {
  try {
    const code = await main(argv);
    if (code >= 0) process.exitCode = code;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`storyreel: ${err.message}`);
      console.error(err.command ? `Usage:\n${commandHelp(err.command)}` : 'See storyreel --help.');
      process.exitCode = EXIT.usage;
      return;
    }
    if (err instanceof StudioError) {
      console.error(`storyreel: ${err.message}`);
      if (err.details && err.details.length > 1 && !err.message.includes(err.details[0])) for (const d of err.details) console.error(`  - ${d}`);
    } else if (isSystemError(err)) {
      // A full or read-only disk, a path that is not a folder…: a sentence, never a stack trace.
      console.error(`storyreel: ${describeSystemError(err)}`);
    } else {
      console.error(`storyreel: unexpected error: ${(err as Error)?.message ?? err}`);
      if (process.env.STORYREEL_DEBUG) console.error((err as Error)?.stack);
      else console.error('  (Run again with STORYREEL_DEBUG=1 to see where it happened, for a bug report.)');
    }
    process.exitCode = EXIT.failed;
  }
}
