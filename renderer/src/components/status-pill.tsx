import type { ShotStatus } from '../domain/shot-status';
import { statusLabel } from '../domain/shot-status';

const TONE: Record<ShotStatus['kind'], string> = {
  none: 'muted',
  stale: 'warn',
  short: 'warn',
  queued: 'info',
  generating: 'info',
  downloading: 'info',
  ready: 'ok',
  failed: 'bad',
  canceled: 'muted',
  attention: 'warn',
};

/** One line of status text with a coloured dot; the full text is also the tooltip (failures can be long). */
export function StatusPill({ status, compact = false }: { status: ShotStatus; compact?: boolean }) {
  const label = statusLabel(status);
  return (
    <span className={`status status--${TONE[status.kind]}${compact ? ' status--compact' : ''}`} title={label} data-status={status.kind}>
      <span className="status__dot" aria-hidden="true" />
      <span className="status__text">{label}</span>
    </span>
  );
}
