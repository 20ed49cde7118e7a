import { createRequire } from 'node:module';

/** The version in package.json (looked up from the source tree or from the bundle in dist-electron/). */
export function appVersion(): string {
  const require = createRequire(import.meta.url);
  for (const rel of ['../../package.json', '../package.json', '../../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'storyreel' && pkg.version) return pkg.version;
    } catch {
      /* try the next layout (source tree vs bundled dist-electron/) */
    }
  }
  return '0.0.0';
}
