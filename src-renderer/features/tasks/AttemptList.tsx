import { useMemo, useState } from 'react';
import type { Attempt } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { LogList } from '../runs/LogList';
import { OpenTerminalButtons } from '../terminal/OpenTerminalButtons';
import { formatCost, formatTokens } from '../runs/log-format';
import { useAttemptLogs, useAttempts } from './queries';

/** The attempts of a task with status, cost and tokens, and a "Logs" view of each. */
export function AttemptList({ project, taskId }: { readonly project: string; readonly taskId: string }) {
  const attempts = useAttempts(project, taskId);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section aria-label="Attempts">
      <h4>Attempts</h4>
      {attempts.isPending ? <p role="status">Loading attempts…</p> : null}
      {attempts.isError ? <ErrorMessage error={attempts.error} /> : null}
      {attempts.isSuccess && attempts.data.length === 0 ? <p className="muted">No attempts yet; a run starts one when the task is ready.</p> : null}
      {attempts.isSuccess && attempts.data.length > 0 ? (
        <ul className="attempts">
          {attempts.data.map((attempt) => (
            <li key={attempt.id}>
              <AttemptSummary attempt={attempt} />
              <button type="button" aria-expanded={open === attempt.id} onClick={() => setOpen(open === attempt.id ? null : attempt.id)}>
                {open === attempt.id ? 'Hide logs' : 'Logs'}
                <span className="visually-hidden"> of attempt {attempt.number}</span>
              </button>
              <OpenTerminalButtons attempt={attempt} />
              {open === attempt.id ? <AttemptLogs project={project} attempt={attempt} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function AttemptSummary({ attempt }: { readonly attempt: Attempt }) {
  const tokens = attempt.usage.inputTokens + attempt.usage.outputTokens + attempt.usage.cacheCreationInputTokens + attempt.usage.cacheReadInputTokens;
  return (
    <span className="attempt-summary">
      <strong>#{attempt.number}</strong> <span className="badge">{attempt.status}</span> {formatCost(attempt.costUsd)} · {formatTokens(tokens)} tokens ·{' '}
      <span className="muted">{attempt.backend}</span>
      {attempt.errorMessage !== null ? (
        <span className="error">
          {' '}
          · {attempt.stage !== null && attempt.status !== 'succeeded' ? `at ${attempt.stage}: ` : ''}
          {attempt.errorMessage}
        </span>
      ) : null}
    </span>
  );
}

function AttemptLogs({ project, attempt }: { readonly project: string; readonly attempt: Attempt }) {
  const logs = useAttemptLogs(project, attempt.id);
  const lines = useMemo(() => logs.data?.pages.flat() ?? [], [logs.data]);
  if (logs.isPending) return <p role="status">Loading logs…</p>;
  if (logs.isError) return <ErrorMessage error={logs.error} />;
  return (
    <div className="attempt-logs">
      <LogList lines={lines} label={`Logs of attempt ${attempt.number}`} emptyText="This attempt wrote no log lines." />
      {logs.hasNextPage ? (
        <button type="button" disabled={logs.isFetchingNextPage} onClick={() => void logs.fetchNextPage()}>
          {logs.isFetchingNextPage ? 'Loading…' : 'Load more lines'}
        </button>
      ) : null}
    </div>
  );
}
