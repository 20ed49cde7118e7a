// The project's files as a spec reads and prepares them: project.json (what the studio saved, or an edit made
// before the server starts) and jobs.json (the job journal).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** project.json as saved now (saves are debounced: poll for an edit the screen already shows). Untyped unless
 * the spec names the fields it checks. */
export async function readProject<T = any>(dir: string): Promise<T> {
  return JSON.parse(await readFile(path.join(dir, 'project.json'), 'utf8')) as T;
}

/** Changes project.json in place, as a spec prepares a project before its server starts. */
export async function editProject(dir: string, edit: (doc: any) => void | Promise<void>): Promise<void> {
  const doc = await readProject(dir);
  await edit(doc);
  await writeFile(path.join(dir, 'project.json'), JSON.stringify(doc, null, 2));
}

/** The jobs in jobs.json; none while it is missing or half-written. */
export async function readJournal<T = { status: string }>(dir: string): Promise<T[]> {
  const text = await readFile(path.join(dir, 'jobs.json'), 'utf8').catch(() => '');
  if (!text) return [];
  try {
    return (JSON.parse(text) as { jobs: T[] }).jobs;
  } catch {
    return [];
  }
}
