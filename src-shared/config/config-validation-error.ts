/** A config that failed validation; each issue names the source, the key and what was expected. */
export class ConfigValidationError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ReadonlyArray<string>,
  ) {
    super(`${source}: ${issues.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}
