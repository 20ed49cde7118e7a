import { useCommands, useStudio } from '../../app/studio-context';
import { currentTakeTest } from '../../domain/take-currency';

interface TakeRow {
  id: string;
  n: number;
  status: string;
  seconds?: number;
  current: boolean;
  inCut: boolean;
}

export function TakesList({ shotId }: { shotId: string }) {
  const commands = useCommands();
  // Both are stable references until the next snapshot, so the rows are derived here, not in a selector.
  const project = useStudio((s) => s.doc?.project);
  const shot = project?.shots.find((x) => x.id === shotId);
  const rows: TakeRow[] = [];
  if (project && shot) {
    const isCurrent = currentTakeTest(project, shot);
    shot.takes.forEach((t, i) =>
      rows.push({ id: t.id, n: i + 1, status: t.status, seconds: t.media?.durationSec, current: isCurrent(t), inCut: shot.selectedTakeId === t.id }),
    );
  }
  if (rows.length === 0) return null;
  return (
    <div className="takes">
      <h3 className="takes__title">Takes</h3>
      <table className="takes__table">
        <tbody>
          {[...rows].reverse().map((t) => (
            <tr key={t.id} className={t.inCut ? 'takes__row takes__row--cut' : 'takes__row'}>
              <td className="takes__n">Take {t.n}</td>
              <td>{t.status}</td>
              <td>{t.seconds !== undefined ? `${t.seconds.toFixed(1)} s` : '—'}</td>
              <td>{t.current ? null : <span className="tag tag--warn" title="Made with different settings than the shot has now">stale</span>}</td>
              <td className="takes__act">
                {t.inCut ? (
                  <span className="tag tag--accent">in cut</span>
                ) : t.status === 'ready' ? (
                  <button type="button" className="btn btn--tiny" onClick={() => void commands.updateShot(shotId, { selectedTakeId: t.id })}>
                    Use
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
