// A job's place in a queue, as a person reads it: exact near the front ("Queued · 3 ahead"), in steps
// further back ("Queued · 40+ ahead", "200+ ahead"). The engine sends a new place only when what is read
// changes (queueStep), so 300 waiting jobs do not each get an update every time one of them starts.

/** The figure a place is read as: exact under 10, then tens under 100, then hundreds. */
export function queueStep(position: number): number {
  if (position < 10) return position;
  if (position < 100) return Math.floor(position / 10) * 10;
  return Math.floor(position / 100) * 100;
}

/** "next", "3 ahead", "40+ ahead". */
export function queuePlace(position: number): string {
  if (position <= 0) return 'next';
  const step = queueStep(position);
  return step === position && position < 10 ? `${position} ahead` : `${step}+ ahead`;
}
