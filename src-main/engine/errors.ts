/** Base of every error the library facade throws (the seeds' OrchestrationError). */
export class OrchestrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No task has the given id. */
export class TaskNotFoundError extends OrchestrationError {
  constructor(readonly taskId: string) {
    super(`task ${taskId} does not exist`);
  }
}

/** The named worker (agent) holds no claim on the task it tried to finish. */
export class AgentNotFoundError extends OrchestrationError {
  constructor(
    readonly agentId: string,
    detail: string,
  ) {
    super(`worker ${agentId}: ${detail}`);
  }
}

/** A task, or a wait, ran out of time. */
export class TimeoutError extends OrchestrationError {}

/** Invalid options or configuration; the message names the key and what was expected. */
export class ConfigurationError extends OrchestrationError {
  /** Read by the pipeline: a configuration problem is the same for every task, so the run stops with it. */
  readonly stopsRun = true;
}

/** A worker backend misbehaved (threw instead of returning an outcome, or ignored cancellation). */
export class WorkerError extends OrchestrationError {}

/** Input that was refused; nothing was changed. `problems` lists every reason. */
export class InvalidInputError extends OrchestrationError {
  constructor(readonly problems: ReadonlyArray<string>) {
    super(problems.length === 1 ? (problems[0] as string) : `${problems.length} problems: ${problems.join('; ')}`);
  }
}

/** The operation is not allowed in the task's current state; nothing was changed. */
export class InvalidStateError extends OrchestrationError {}
