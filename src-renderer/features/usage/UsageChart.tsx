import { useId } from 'react';
import { formatCost, formatTokens, type UsageBar } from './usage-format';

const ROW_HEIGHT = 26;
const LABEL_WIDTH = 200;
const VALUE_WIDTH = 90;
const WIDTH = 720;

/** A horizontal bar chart of cost (plain SVG, each bar with a <title>), with the same data as a table for screen readers. */
export function UsageChart({ title, bars }: { readonly title: string; readonly bars: ReadonlyArray<UsageBar> }) {
  const id = useId();
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = Math.max(1, bars.length) * ROW_HEIGHT;
  return (
    <figure className="usage-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg role="img" aria-labelledby={`${id}-caption`} viewBox={`0 0 ${WIDTH} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
        {bars.map((bar, index) => {
          const y = index * ROW_HEIGHT;
          const length = Math.max(bar.costUsd > 0 ? 2 : 0, bar.fraction * barSpace);
          return (
            <g key={`${bar.label}-${index}`} className="usage-bar">
              <title>{`${bar.label}: ${formatCost(bar.costUsd)}, ${formatTokens(bar.tokens)} tokens`}</title>
              <text x={LABEL_WIDTH - 8} y={y + ROW_HEIGHT / 2} textAnchor="end" dominantBaseline="middle" className="usage-bar-label">
                {bar.label.length > 28 ? `${bar.label.slice(0, 27)}…` : bar.label}
              </text>
              <rect x={LABEL_WIDTH} y={y + 4} width={length} height={ROW_HEIGHT - 8} rx={3} className="usage-bar-fill" />
              <text x={LABEL_WIDTH + length + 6} y={y + ROW_HEIGHT / 2} dominantBaseline="middle" className="usage-bar-value">
                {formatCost(bar.costUsd)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>{title} (data)</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Cost</th>
            <th scope="col">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar, index) => (
            <tr key={`${bar.label}-${index}`}>
              <th scope="row">{bar.label}</th>
              <td>{formatCost(bar.costUsd)}</td>
              <td>{formatTokens(bar.tokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
