// How the main process hands the contract's method and event names to the sandboxed preload: as two
// renderer command-line switches (webPreferences.additionalArguments, readable from process.argv in a
// sandboxed preload). This keeps shared/api.ts — and zod with it — out of the preload bundle while the
// names still come from the one contract, so they cannot drift.
// Tiny and dependency-free: both the main bundle and the preload bundle import it.

const METHODS_SWITCH = '--storyreel-methods=';
const EVENTS_SWITCH = '--storyreel-events=';
const NAME = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/;

export function contractArguments(methods: readonly string[], events: readonly string[]): string[] {
  for (const n of [...methods, ...events]) if (!NAME.test(n)) throw new Error(`storyreel: contract name ${JSON.stringify(n)} cannot be passed to the preload`);
  return [METHODS_SWITCH + methods.join(','), EVENTS_SWITCH + events.join(',')];
}

/** Missing or malformed switches give empty sets: the preload then refuses everything (fails closed). */
export function readContractArguments(argv: readonly string[]): { methods: ReadonlySet<string>; events: ReadonlySet<string> } {
  const read = (prefix: string) => {
    const arg = argv.find((a) => a.startsWith(prefix));
    const names = arg ? arg.slice(prefix.length).split(',') : [];
    return new Set(names.filter((n) => NAME.test(n)));
  };
  return { methods: read(METHODS_SWITCH), events: read(EVENTS_SWITCH) };
}
