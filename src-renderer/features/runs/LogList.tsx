import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { formatClock, kindBadge, stripAnsi } from './log-format';

/** The fields of a log line the list shows. */
export interface ShownLogLine {
  readonly attemptId: string;
  readonly seq: number;
  readonly at: number;
  readonly kind: string;
  readonly text: string;
  /** Shown as a prefix when lines of several workers are mixed. */
  readonly source?: string;
}

const ROW_HEIGHT = 22;

/** A virtualised log: only visible lines are in the DOM; follows new lines until the user scrolls up. */
export function LogList({ lines, label, emptyText }: { readonly lines: ReadonlyArray<ShownLogLine>; readonly label: string; readonly emptyText: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  useEffect(() => {
    if (following && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [following, lines, virtualizer]);

  const onScroll = () => {
    const element = scroller.current;
    if (element === null) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < ROW_HEIGHT * 2;
    setFollowing(atBottom);
  };

  return (
    <div className="log-wrap">
      <div ref={scroller} className="log" role="log" aria-label={label} tabIndex={0} onScroll={onScroll}>
        {lines.length === 0 ? <p className="muted log-empty">{emptyText}</p> : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = lines[item.index];
            if (line === undefined) return null;
            const badge = kindBadge(line.kind);
            return (
              <div key={item.key} className="log-line" style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }} title={stripAnsi(line.text)}>
                <span className="log-time">{formatClock(line.at)}</span>
                {line.source !== undefined ? <span className="log-source">{line.source}</span> : null}
                <span className={`kind kind-${badge.tone}`}>{badge.label}</span>
                <span className="log-text">{stripAnsi(line.text)}</span>
              </div>
            );
          })}
        </div>
      </div>
      {!following && lines.length > 0 ? (
        <button type="button" className="follow" onClick={() => setFollowing(true)}>
          Follow new lines
        </button>
      ) : null}
    </div>
  );
}
