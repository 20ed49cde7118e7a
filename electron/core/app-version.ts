// The app's version, from package.json: the source tree, the bundled desktop shell (dist-electron/) and the
// bundled command line (dist/cli/) each find it at their own distance from the root.
import { createRequire } from 'node:module';

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
