/** How a log line's kind is shown: a short badge and a tone for its colour. */
export interface KindBadge {
  readonly label: string;
  readonly tone: 'tool' | 'text' | 'error' | 'system' | 'result' | 'muted';
}

// Colour and cursor escape sequences (CSI ... letter) and OSC sequences ending in BEL or ST.
// eslint-disable-next-line no-control-regex -- matching terminal escape codes is the point
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** The text without terminal escape codes, so a log reads as plain text. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The badge of a log event kind as the worker backends write them (tool_use, assistant.text, stderr, …). */
export function kindBadge(kind: string): KindBadge {
  switch (kind) {
    case 'tool_use':
      return { label: 'tool', tone: 'tool' };
    case 'tool_result':
      return { label: 'result', tone: 'muted' };
    case 'assistant.text':
      return { label: 'says', tone: 'text' };
    case 'assistant.thinking':
      return { label: 'thinks', tone: 'muted' };
    case 'user':
      return { label: 'prompt', tone: 'muted' };
    case 'error':
    case 'stderr':
      return { label: kind, tone: 'error' };
    case 'result':
      return { label: 'done', tone: 'result' };
    case 'system':
      return { label: 'system', tone: 'system' };
    default:
      return { label: kind.replace(/^assistant\./, ''), tone: 'muted' };
  }
}

/** A time of day (HH:MM:SS) for a log line's timestamp. */
export function formatClock(at: number): string {
  const date = new Date(at);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A cost in US dollars, with cents (or fractions of a cent when small). */
export function formatCost(usd: number): string {
  return usd > 0 && usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** A token count, short (12.3k). */
export function formatTokens(count: number): string {
  return count >= 1_000_000 ? `${(count / 1_000_000).toFixed(1)}M` : count >= 1_000 ? `${(count / 1_000).toFixed(1)}k` : String(count);
}
