// A choice (radio, switch, chip) shows what was clicked at once, while the core takes the edit; it then
// follows the document again — which holds the new value, or the old one if the edit was refused.
import { useCallback, useRef, useState } from 'react';

export function usePendingValue<T>(stored: T): [T, (next: T, send: () => Promise<unknown>) => Promise<void>] {
  const [pending, setPending] = useState<{ value: T } | null>(null);
  const latest = useRef(0);
  const run = useCallback(async (next: T, send: () => Promise<unknown>) => {
    const mine = ++latest.current;
    setPending({ value: next });
    try {
      await send();
    } finally {
      if (latest.current === mine) setPending(null);
    }
  }, []);
  return [pending ? pending.value : stored, run];
}
