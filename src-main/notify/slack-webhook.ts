/** Options of a Slack post. */
export interface SlackPostOptions {
  readonly timeoutMs?: number;
  /** For tests: also accept http:// webhooks on 127.0.0.1. */
  readonly allowLoopbackHttp?: boolean;
  readonly fetch?: typeof fetch;
}

/** Why a webhook URL is unusable, or null when it is fine. */
export function checkSlackWebhookUrl(url: string, allowLoopbackHttp = false): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'The Slack webhook is not a URL. Copy it from Slack: Apps → Incoming Webhooks (it starts with https://hooks.slack.com/).';
  }
  if (parsed.protocol === 'https:') return null;
  if (allowLoopbackHttp && parsed.protocol === 'http:' && parsed.hostname === '127.0.0.1') return null;
  return 'The Slack webhook must be an https:// URL (https://hooks.slack.com/…).';
}

/**
 * Posts one message to a Slack incoming webhook. Never throws: returns an error text (which
 * never contains the webhook URL, itself a secret) so a notification failure cannot break a run.
 */
export async function postSlackMessage(url: string, text: string, options: SlackPostOptions = {}): Promise<string | null> {
  const invalid = checkSlackWebhookUrl(url, options.allowLoopbackHttp);
  if (invalid !== null) return invalid;
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    if (response.ok) return null;
    return `Slack refused the notification (HTTP ${response.status}). Check that the webhook is still active in Slack.`;
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'could not connect';
    return `Slack notification failed: ${reason}. The run goes on; check the network or the webhook.`;
  }
}
