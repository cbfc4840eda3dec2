import { GRPCDeadlineExceededError, isRecoverableError } from 'etcd3';

/**
 * Whether an error means etcd could not be reached in time (down, paused, partitioned,
 * or the client's circuit breaker open after such failures), as opposed to a bad request.
 */
export const isEtcdUnavailable = (error: unknown): boolean =>
  error instanceof Error && (isRecoverableError(error) || error instanceof GRPCDeadlineExceededError || 'isBrokenCircuitError' in error);
