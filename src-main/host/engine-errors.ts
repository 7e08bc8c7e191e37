import { RpcError } from '../../src-shared/rpc/errors';
import { ConfigurationError, InvalidInputError, InvalidStateError, OrchestrationError, TaskNotFoundError } from '../engine/errors';
import { StoreCorruptError, StoreTooNewError } from '../store/store-errors';
import { ConfigFileError } from '../runtime/load-config';

/** Turns an engine, store or config error into an rpc error with the right code; anything else passes through. */
export function toRpcError(error: unknown): unknown {
  if (error instanceof RpcError) return error;
  if (error instanceof TaskNotFoundError) return new RpcError('not_found', error.message);
  if (error instanceof InvalidInputError) return new RpcError('invalid_input', error.message);
  if (error instanceof InvalidStateError) return new RpcError('conflict', error.message);
  if (error instanceof ConfigurationError || error instanceof ConfigFileError) return new RpcError('failed_precondition', error.message);
  if (error instanceof StoreCorruptError || error instanceof StoreTooNewError) return new RpcError('failed_precondition', error.message);
  if (error instanceof OrchestrationError) return new RpcError('failed_precondition', error.message);
  return error;
}

/** Runs a handler body and maps its errors with toRpcError. */
export async function mapEngineErrors<T>(body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toRpcError(error);
  }
}
