import { costLabel, formatTokens, totalTokens, type UsageLine } from './usage-format';

/** One row of a usage table: what it is about, and its tokens and cost. */
export interface UsageRow {
  readonly key: string;
  readonly cells: ReadonlyArray<string>;
  readonly line: UsageLine;
}

/** A table of tokens and cost, one row per task, run or model. */
export function UsageTable({ caption, columns, rows }: { readonly caption: string; readonly columns: ReadonlyArray<string>; readonly rows: ReadonlyArray<UsageRow> }) {
  return (
    <table className="usage-table" aria-label={caption}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          <th scope="col" className="usage-number">Input</th>
          <th scope="col" className="usage-number">Output</th>
          <th scope="col" className="usage-number">Cache</th>
          <th scope="col" className="usage-number">Total tokens</th>
          <th scope="col" className="usage-number">Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={columns.length + 5} className="muted">
              Nothing recorded yet.
            </td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, index) => (
                <td key={index}>{cell}</td>
              ))}
              <td className="usage-number">{formatTokens(row.line.usage.inputTokens)}</td>
              <td className="usage-number">{formatTokens(row.line.usage.outputTokens)}</td>
              <td className="usage-number">{formatTokens(row.line.usage.cacheCreationInputTokens + row.line.usage.cacheReadInputTokens)}</td>
              <td className="usage-number">{formatTokens(totalTokens(row.line))}</td>
              <td className="usage-number">{costLabel(row.line)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
