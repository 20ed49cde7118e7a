// Every ffmpeg and ffprobe this process starts is started here and tracked until it ends, so quitting (the
// desktop app's before-quit, `storyreel serve` stopping, the process exiting) can stop them all with
// killAllMedia() instead of leaving an encode running with nobody to read it.
import { spawn, type ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
/** Processes stopped by killAllMedia(), so their callers can say why they ended. */
const stoppedOnQuit = new WeakSet<ChildProcess>();
let exitHook = false;

/** Starts `file` with its stdout and stderr piped (stdin closed) and tracks it until it exits. */
export function startTracked(file: string, args: string[], opts: { cwd?: string; /** Its standard input is written by the caller. */ stdin?: boolean } = {}): ChildProcess {
  if (!exitHook) {
    // A process.exit() (the CLI's deadline on stop, the end of a command) must not leave children behind.
    exitHook = true;
    process.once('exit', () => killAllMedia());
  }
  const child = spawn(file, args, { cwd: opts.cwd, stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true });
  running.add(child);
  const forget = () => running.delete(child);
  child.once('exit', forget);
  child.once('error', forget);
  return child;
}

/** Process ids of the ffmpeg/ffprobe runs still going. */
export function runningMediaPids(): number[] {
  return [...running].flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
}

/** Stops every ffmpeg/ffprobe this process started (SIGKILL: an encode being abandoned has nothing to flush). Returns how many. */
export function killAllMedia(): number {
  const all = [...running];
  for (const child of all) {
    stoppedOnQuit.add(child);
    child.kill('SIGKILL');
  }
  running.clear();
  return all.length;
}

/** Whether `child` ended because killAllMedia() stopped it. */
export function wasStoppedOnQuit(child: ChildProcess): boolean {
  return stoppedOnQuit.has(child);
}

export interface ExecFailure extends Error {
  stdout: string;
  stderr: string;
  /** Exit code, or undefined when it was killed or could not start. */
  code?: number | string;
  timedOut?: boolean;
  /** Stopped by killAllMedia(). */
  stoppedOnQuit?: boolean;
}

/**
 * Runs `file` to the end and gives its output, like execFile — but tracked, and stopped (SIGKILL) when it has not
 * finished after `timeoutMs` (then the error has `timedOut`) or writes more than `maxBuffer` bytes to stdout.
 */
export function execTracked(file: string, args: string[], opts: { timeoutMs: number; maxBuffer?: number; cwd?: string }): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = startTracked(file, args, { cwd: opts.cwd });
    } catch (err) {
      return reject(failure((err as Error).message, '', '', { code: (err as NodeJS.ErrnoException).code }));
    }
    const out: Buffer[] = [];
    const errs: Buffer[] = [];
    let outBytes = 0;
    let problem: { message: string; timedOut?: boolean } | undefined;
    const stop = (p: { message: string; timedOut?: boolean }) => {
      problem ??= p;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop({ message: `${file} did not finish within ${opts.timeoutMs / 1000} s`, timedOut: true }), opts.timeoutMs);
    child.stdout!.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (opts.maxBuffer !== undefined && outBytes > opts.maxBuffer) stop({ message: `${file} wrote more than ${opts.maxBuffer} bytes` });
      else out.push(b);
    });
    child.stderr!.on('data', (b: Buffer) => errs.push(b));
    let settled = false;
    const settle = (err: Error | undefined, code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(errs).toString('utf8');
      if (err) return reject(failure(err.message, stdout, stderr, { code: (err as NodeJS.ErrnoException).code }));
      if (problem) return reject(failure(problem.message, stdout, stderr, { timedOut: problem.timedOut }));
      if (wasStoppedOnQuit(child)) return reject(failure(`${file} was stopped: Storyreel is quitting`, stdout, stderr, { stoppedOnQuit: true }));
      if (code !== 0) return reject(failure(`${file} ${code === null ? `was killed with signal ${signal}` : `exited with code ${code}`}`, stdout, stderr, { code: code ?? undefined }));
      resolve({ stdout, stderr });
    };
    child.once('error', (err) => settle(err, null, null));
    child.once('close', (code, signal) => settle(undefined, code, signal));
  });
}

function failure(message: string, stdout: string, stderr: string, extra: { code?: number | string; timedOut?: boolean; stoppedOnQuit?: boolean }): ExecFailure {
  return Object.assign(new Error(message), { stdout, stderr, ...extra });
}
