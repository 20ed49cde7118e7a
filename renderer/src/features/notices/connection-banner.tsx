import { useEffect, useState } from 'react';
import { useServices, useStudio } from '../../app/studio-context';
import { Icon } from '../../components/icon';

function useCountdown(ms: number | undefined): number {
  const [left, setLeft] = useState(ms ?? 0);
  useEffect(() => {
    if (ms === undefined) return;
    const until = Date.now() + ms;
    setLeft(ms);
    const t = setInterval(() => setLeft(Math.max(0, until - Date.now())), 250);
    return () => clearInterval(t);
  }, [ms]);
  return left;
}

export function ConnectionBanner() {
  const { client } = useServices();
  const connection = useStudio((s) => s.connection);
  const left = useCountdown(connection.status === 'closed' ? connection.retryInMs : undefined);
  if (connection.status === 'open' || connection.status === 'connecting') return null;
  if (connection.status === 'refused') {
    return (
      <div className="banner banner--bad" role="alert">
        <Icon name="alert" />
        <span>{connection.reason}</span>
      </div>
    );
  }
  return (
    <div className="banner banner--warn" role="alert">
      <Icon name="wifi" />
      <span>
        Lost the connection to Storyreel. Everything the core confirmed is saved; edits you make now are sent when it is back.
        {left > 0 ? ` Reconnecting in ${Math.ceil(left / 1000)} s…` : ' Reconnecting…'}
        {connection.attempt >= 4 ? (
          <>
            {' '}If you restarted <code>storyreel serve</code>, open the new address it printed: each run has its own token.
          </>
        ) : null}
      </span>
      {client.retryNow ? (
        <button type="button" className="btn btn--tiny" onClick={() => client.retryNow?.()}>
          Retry now
        </button>
      ) : null}
    </div>
  );
}
