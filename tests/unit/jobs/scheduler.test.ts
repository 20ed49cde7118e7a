// Slots per provider shared by every project: FIFO within a project, round-robin between projects,
// limits from the environment, and a waiting job can be taken back.
import { describe, expect, it } from 'vitest';
import { SlotScheduler, parseConcurrency, type SlotTicket } from '../../../electron/core/jobs/scheduler';

/** A ticket whose work runs until the test lets it finish. */
function ticket(owner: string, name: string, log: string[], provider: SlotTicket['provider'] = 'fal') {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const t: SlotTicket & { finish: () => void; name: string } = {
    provider,
    owner,
    name,
    finish: () => finish(),
    start: () => {
      log.push(name);
      return done;
    },
  };
  return t;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('SlotScheduler', () => {
  it('starts at most the limit at once, and the next one as soon as a slot frees', async () => {
    const s = new SlotScheduler({ fal: 2 });
    const log: string[] = [];
    const ts = ['a1', 'a2', 'a3'].map((n) => ticket('A', n, log));
    ts.forEach((t) => s.enqueue(t));
    await tick();
    expect(log).toEqual(['a1', 'a2']);
    expect(s.running('fal')).toBe(2);
    ts[1].finish();
    await tick();
    expect(log).toEqual(['a1', 'a2', 'a3']);
  });

  it('takes turns between projects: one that queued 4 jobs first does not make one that queued 2 wait for all 4', async () => {
    const s = new SlotScheduler({ fal: 1 });
    const log: string[] = [];
    const a = ['a1', 'a2', 'a3', 'a4'].map((n) => ticket('A', n, log));
    a.forEach((t) => s.enqueue(t));
    await tick();
    const b = ['b1', 'b2'].map((n) => ticket('B', n, log));
    b.forEach((t) => s.enqueue(t));
    // Queue positions tell the truth about the order to come.
    expect(s.order('fal').map((t) => (t as typeof a[0]).name)).toEqual(['b1', 'a2', 'b2', 'a3', 'a4']);
    const all = new Map([...a, ...b].map((t) => [t.name, t]));
    for (let i = 0; i < 6; i++) {
      all.get(log[log.length - 1])!.finish();
      await tick();
    }
    expect(log).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'a4']);
  });

  it('keeps providers apart: a busy provider does not hold up another', async () => {
    const s = new SlotScheduler({ fal: 1, kling: 1 });
    const log: string[] = [];
    s.enqueue(ticket('A', 'fal1', log, 'fal'));
    s.enqueue(ticket('A', 'fal2', log, 'fal'));
    s.enqueue(ticket('A', 'kling1', log, 'kling'));
    await tick();
    expect(log).toEqual(['fal1', 'kling1']);
  });

  it('a withdrawn ticket never starts', async () => {
    const s = new SlotScheduler({ fal: 1 });
    const log: string[] = [];
    const [t1, t2, t3] = ['x1', 'x2', 'x3'].map((n) => ticket('A', n, log));
    [t1, t2, t3].forEach((t) => s.enqueue(t));
    await tick();
    expect(s.withdraw(t2)).toBe(true);
    expect(s.withdraw(t1)).toBe(false); // already running
    t1.finish();
    await tick();
    expect(log).toEqual(['x1', 'x3']);
  });

  it('a raised limit starts waiting work at once; the animatic defaults to 2, cloud providers to 4', async () => {
    const s = new SlotScheduler();
    expect(s.limit('animatic')).toBe(2);
    expect(s.limit('kling')).toBe(4);
    const log: string[] = [];
    for (let i = 0; i < 6; i++) s.enqueue(ticket('A', `k${i}`, log, 'kling'));
    await tick();
    expect(log).toHaveLength(4);
    s.setLimit('kling', 6);
    await tick();
    expect(log).toHaveLength(6);
  });
});

describe('STORYREEL_CONCURRENCY', () => {
  it('reads provider:number pairs and reports what it cannot read', () => {
    expect(parseConcurrency('fal:4,kling:2')).toEqual({ limits: { fal: 4, kling: 2 }, problems: [] });
    expect(parseConcurrency(' replicate=3; animatic:1 ')).toEqual({ limits: { replicate: 3, animatic: 1 }, problems: [] });
    const bad = parseConcurrency('fal:0,klang:2,lumenfall');
    expect(bad.limits).toEqual({});
    expect(bad.problems).toHaveLength(3);
    expect(bad.problems[1]).toContain('"klang:2"');
    expect(parseConcurrency(undefined)).toEqual({ limits: {}, problems: [] });
  });
});
