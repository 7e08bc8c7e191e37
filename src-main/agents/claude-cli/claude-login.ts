/**
 * Neither an API key nor a Claude Code login: what the manager and the workers say, with both ways
 * out. Claude Code reports it as "Not logged in · Please run /login" without an HTTP status.
 */
export const NOT_SIGNED_IN =
  "Claude Code is not signed in and no Anthropic API key is set: sign in to Claude Code (run `claude` and log in, or set CLAUDE_CODE_OAUTH_TOKEN from `claude setup-token`) to use your Claude subscription, or set ANTHROPIC_API_KEY (the environment, the project's .env, or Settings → Keys).";

/** True for Claude Code's answer when it has no credentials at all. */
export function isNotSignedIn(detail: string): boolean {
  return /not logged in|please run \/login/i.test(detail);
}
