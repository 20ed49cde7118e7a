// Module hook: every `import … from 'electron'` (the shell's and electron-store's) gets the stub instead.
const stub = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: stub, shortCircuit: true };
  return next(specifier, context);
}
