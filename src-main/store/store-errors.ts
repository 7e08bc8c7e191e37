/** The database file is not a SQLite database or is damaged; it was left untouched. */
export class StoreCorruptError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(
      `The project database ${path} is not a readable SQLite database (${detail}). ` +
        'It was left untouched: move it aside (or restore a backup) and start again to create a new one.',
    );
    this.name = 'StoreCorruptError';
  }
}

/** The database was written by a newer version of the orchestrator. */
export class StoreTooNewError extends Error {
  constructor(
    readonly path: string,
    readonly fileVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `The project database ${path} has schema version ${fileVersion}, but this version of Claude Orchestrator ` +
        `understands up to ${supportedVersion}. Update Claude Orchestrator; the file was not changed.`,
    );
    this.name = 'StoreTooNewError';
  }
}
