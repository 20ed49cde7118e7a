// Pure helpers for the takes feature (unit-tested in tests/unit/renderer/review-format.test.ts).

/** 2.37 → "0:02.4"; 75.04 → "1:15.0": a note's timecode, to a tenth of a second. */
export function formatTimecode(sec: number): string {
  const tenths = Math.max(0, Math.round(sec * 10));
  const m = Math.floor(tenths / 600);
  const s = (tenths % 600) / 10;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

/** Where a note goes in a take: the take's own video if it was played, else the preview's time inside this shot. */
export function noteTime(opts: { takeTime?: number; cutTime?: number; shotStart?: number; shotDuration?: number }): number {
  if (opts.takeTime !== undefined && opts.takeTime > 0) return round1(opts.takeTime);
  if (opts.cutTime === undefined || opts.shotStart === undefined) return 0;
  const rel = opts.cutTime - opts.shotStart;
  if (rel < 0 || (opts.shotDuration !== undefined && rel > opts.shotDuration)) return 0;
  return round1(rel);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The other video's time when it drifts more than `tolerance` from the one leading, else undefined. */
export function syncTarget(lead: number, follower: number, followerDuration: number, tolerance = 0.05): number | undefined {
  const want = Math.min(lead, Number.isFinite(followerDuration) ? followerDuration : lead);
  return Math.abs(follower - want) > tolerance ? want : undefined;
}
