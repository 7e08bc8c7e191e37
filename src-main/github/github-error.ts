import { redactSecrets } from '../workspace/redact';

/** A GitHub problem the user can fix (no token, no access, no origin, a rejected push, a rate limit): one line saying what to do. */
export class GitHubError extends Error {
  override readonly name = 'GitHubError';
  constructor(message: string) {
    super(redactSecrets(message.replace(/\s*\r?\n\s*/g, ' ').trim()));
  }
}
