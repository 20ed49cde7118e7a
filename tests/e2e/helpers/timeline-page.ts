// The timeline as the trim and timeline specs see it: its blocks, the shot rows, the on-screen player, the
// project's saved shots, and the mouse gestures a person uses on the blocks (and on the board's cards).
import { expect, type Locator, type Page } from '@playwright/test';
import { onScreen } from './preview';
import { readJournal, readProject } from './project-files';

export const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });
export const block = (page: Page, title: string) => timeline(page).getByRole('group', { name: 'Video lane' }).getByRole('button', { name: new RegExp(`^\\d+\\. ${title},`) });
export const row = (page: Page, title: string) => page.getByRole('region', { name: 'Shots' }).getByRole('listitem', { name: title });
/** The video on screen (not the next cut loading behind it). */
export const video = onScreen;
export const shot = async (dir: string, title: string) => (await readProject(dir)).shots.find((s: { title: string }) => s.title === title);
/** The shot's first take as project.json holds it, once saved (saves are debounced, so the screen can show the take first). */
export async function savedTake(dir: string, title: string, has: 'media' | 'groupClip' = 'media') {
  await expect.poll(async () => Boolean((await shot(dir, title))?.takes?.[0]?.[has]), { timeout: 10_000 }).toBe(true);
  return (await shot(dir, title)).takes[0];
}
export async function jobCount(dir: string): Promise<number> {
  return (await readJournal(dir)).length;
}
export async function videoDuration(page: Page): Promise<number> {
  return video(page).evaluate((v: HTMLVideoElement) => (v.readyState >= 1 && Number.isFinite(v.duration) ? v.duration : 0));
}
export async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not visible');
  return b;
}
export interface DragOptions {
  /** Hold ⌥ through the drag. */
  alt?: boolean;
  /** The first small move that starts the drag: `dx` towards the target, `dy` down (default 6, 0). */
  lift?: { dx: number; dy: number };
  /** Steps of the move to the target (default 12). */
  steps?: number;
}

/** A real pointer drag in small steps, the way a hand moves. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, opts: DragOptions = {}) {
  const { dx, dy } = opts.lift ?? { dx: 6, dy: 0 };
  await page.mouse.move(from.x, from.y);
  if (opts.alt) await page.keyboard.down('Alt');
  await page.mouse.down();
  await page.mouse.move(from.x + (to.x > from.x ? dx : -dx), from.y + dy, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps: opts.steps ?? 12 });
  await page.mouse.up();
  if (opts.alt) await page.keyboard.up('Alt');
}
/** A grey thumbnail of the preview's picture at `sec`, to tell frames apart. */
export async function frameAt(page: Page, sec: number): Promise<number[]> {
  return video(page).evaluate(async (v: HTMLVideoElement, t: number) => {
    v.pause();
    // Drawn once the frame at t is on screen: 'seeked' can come before it is presented on a busy machine.
    const presented = new Promise<void>((resolve) => {
      if (typeof v.requestVideoFrameCallback === 'function') v.requestVideoFrameCallback(() => resolve());
      setTimeout(resolve, 1000);
    });
    await new Promise<void>((resolve) => {
      v.addEventListener('seeked', () => resolve(), { once: true });
      v.currentTime = t;
    });
    await presented;
    const c = document.createElement('canvas');
    c.width = 128;
    c.height = 72;
    const g = c.getContext('2d')!;
    g.drawImage(v, 0, 0, 128, 72);
    const d = g.getImageData(0, 0, 128, 72).data;
    const out: number[] = [];
    for (let i = 0; i < d.length; i += 4) out.push(Math.round((d[i] + d[i + 1] + d[i + 2]) / 3));
    return out;
  }, sec);
}
/** How far apart two `frameAt` thumbnails are: the mean grey-level difference (0 = the same picture). */
export const frameDifference = (a: number[], b: number[]) => a.reduce((s, x, i) => s + Math.abs(x - b[i]), 0) / a.length;
/** The shot list's rows as it names them, in order. */
export const shotTitles = (page: Page) => page.getByRole('region', { name: 'Shots' }).getByRole('listitem').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));
