/** A thin bar; `fraction` null means the length of the work is unknown (an indeterminate stripe). */
export function ProgressBar({ fraction, label }: { fraction: number | null; label: string }) {
  const pct = fraction === null ? undefined : Math.round(fraction * 100);
  return (
    <div
      className={`progress${fraction === null ? ' progress--indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div className="progress__fill" style={pct === undefined ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
