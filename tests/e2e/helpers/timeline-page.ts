// The timeline as the trim specs see it: its blocks, the shot rows, the on-screen player, the project's files,
// and the mouse gestures a person uses on the blocks.
import { expect, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });
export const block = (page: Page, title: string) => timeline(page).getByRole('group', { name: 'Video lane' }).getByRole('button', { name: new RegExp(`^\\d+\\. ${title},`) });
export const row = (page: Page, title: string) => page.getByRole('region', { name: 'Shots' }).getByRole('listitem', { name: title });
export const video = (page: Page) => page.getByRole('region', { name: 'Preview' }).locator('video:not(.player__video--next)');
export const project = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'project.json'), 'utf8'));
export const shot = async (dir: string, title: string) => (await project(dir)).shots.find((s: { title: string }) => s.title === title);
/** The shot's first take as project.json holds it, once saved (saves are debounced, so the screen can show the take first). */
export async function savedTake(dir: string, title: string, has: 'media' | 'groupClip' = 'media') {
  await expect.poll(async () => Boolean((await shot(dir, title))?.takes?.[0]?.[has]), { timeout: 10_000 }).toBe(true);
  return (await shot(dir, title)).takes[0];
}
export async function jobCount(dir: string): Promise<number> {
  const text = await readFile(path.join(dir, 'jobs.json'), 'utf8').catch(() => '');
  return text ? (JSON.parse(text) as { jobs: unknown[] }).jobs.length : 0;
}
export async function videoDuration(page: Page): Promise<number> {
  return video(page).evaluate((v: HTMLVideoElement) => (v.readyState >= 1 && Number.isFinite(v.duration) ? v.duration : 0));
}
export async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not visible');
  return b;
}
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, alt = false) {
  await page.mouse.move(from.x, from.y);
  if (alt) await page.keyboard.down('Alt');
  await page.mouse.down();
  await page.mouse.move(from.x + (to.x > from.x ? 6 : -6), from.y, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
  if (alt) await page.keyboard.up('Alt');
}
/** A grey thumbnail of the preview's picture at `sec`, to tell frames apart. */
export async function frameAt(page: Page, sec: number): Promise<number[]> {
  return video(page).evaluate(async (v: HTMLVideoElement, t: number) => {
    v.pause();
    await new Promise<void>((resolve) => {
      v.addEventListener('seeked', () => resolve(), { once: true });
      v.currentTime = t;
    });
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
