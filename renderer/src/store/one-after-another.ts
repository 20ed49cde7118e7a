// A key pressed twice quickly sends two edits, and the second must start from what the first did: ⌥→ twice
// on a card moves it two places only if the second move reads the order the core answered to the first, not
// the order on screen when the key went down. A queue from oneAfterAnother() starts each task once the one
// before it has settled, so a task that reads the store sees what the task before it left there.

/** Queues a task; resolves or rejects with that task. A failed task does not stop the ones after it. */
export type OneAfterAnother = <T>(task: () => Promise<T>) => Promise<T>;

export function oneAfterAnother(): OneAfterAnother {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const run = last.then(task);
    last = run.catch(() => undefined);
    return run;
  };
}
