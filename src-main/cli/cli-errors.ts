import { ConfigValidationError } from '../../src-shared/config/config-validation-error';
import { OrchestrationError, TaskNotFoundError } from '../engine/errors';
import { StoreCorruptError, StoreTooNewError } from '../store/store-errors';
import { ConfigFileError } from '../runtime/config-file';
import { CliError } from './cli-error';

/** Turns the errors a user can fix (unknown task, invalid input, bad config, bad database) into one-line CliErrors. */
export function toCliError(error: unknown): unknown {
  if (error instanceof CliError) return new CliError(oneLine(error.message), error.exitCode);
  if (error instanceof TaskNotFoundError) return new CliError(`${error.message} (run \`co list\` to see the task ids)`);
  if (error instanceof ConfigValidationError) return new CliError(`invalid configuration in ${oneLine(error.message)} (fix it, or run \`co check\`)`);
  if (error instanceof ConfigFileError) return new CliError(`invalid configuration: ${oneLine(error.message)}`);
  if (error instanceof Error && error.name === 'ManagerError') return new CliError(`the manager could not do it: ${oneLine(error.message)}`);
  if (error instanceof OrchestrationError || error instanceof StoreCorruptError || error instanceof StoreTooNewError) {
    return new CliError(oneLine(error.message));
  }
  return error;
}

/** Wraps a command action so that user errors become one clear line. */
export function cliAction<A extends unknown[]>(action: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      throw toCliError(error);
    }
  };
}

/** Collapses line breaks so an error prints as exactly one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}
