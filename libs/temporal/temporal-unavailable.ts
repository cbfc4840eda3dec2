import { ServiceError, isGrpcServiceError } from '@temporalio/client';

/** gRPC status codes DEADLINE_EXCEEDED (4) and UNAVAILABLE (14). */
const UNREACHABLE = new Set<number>([4, 14]);

/** Whether an error means the Temporal frontend could not be reached in time, rather than that it said no. */
export const isTemporalUnavailable = (error: unknown): boolean => {
  const cause = error instanceof ServiceError ? (error.cause ?? error) : error;
  return isGrpcServiceError(cause) && UNREACHABLE.has(cause.code);
};
