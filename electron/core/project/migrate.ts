// Schema migrations: pure functions vN → vN+1 over plain JSON. Each one is tested on a fixture.
// To change the document: bump SCHEMA_VERSION in shared/schema.ts and add migrations[oldVersion].
import { SCHEMA_VERSION } from '../../../shared/schema';
import { StudioError } from '../../../shared/errors';

type Json = Record<string, unknown>;

/** migrations[n] turns a version-n document into version n+1. */
export const migrations: Record<number, (doc: Json) => Json> = {
  // Version 0 was the pre-release draft format: `shots[].duration` in seconds and no settings block.
  0: (doc) => ({
    ...doc,
    schemaVersion: 1,
    settings: doc.settings ?? {},
    shots: Array.isArray(doc.shots)
      ? doc.shots.map((s: Json) => {
          const { duration, ...rest } = s;
          return { durationSec: duration, ...rest };
        })
      : [],
  }),
};

export function migrate(doc: unknown): Json {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new StudioError('PROJECT_CORRUPT', 'project.json does not hold a project object');
  }
  let current = doc as Json;
  let version = typeof current.schemaVersion === 'number' ? current.schemaVersion : 0;
  if (version > SCHEMA_VERSION) {
    // Not damage: a newer build wrote it. The caller must not "recover" it from an older backup.
    throw new StudioError(
      'PROJECT_TOO_NEW',
      `This project was saved by a newer Storyreel: it needs one that reads project schema ${version}, and this one reads up to schema ${SCHEMA_VERSION}. ` +
        'It was not opened and nothing on disk was changed. Update Storyreel, then open it again.',
    );
  }
  while (version < SCHEMA_VERSION) {
    const step = migrations[version];
    if (!step) throw new StudioError('PROJECT_CORRUPT', `No migration from schema version ${version}`);
    current = step(current);
    version += 1;
  }
  return current;
}
