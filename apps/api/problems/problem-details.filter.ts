import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { type Response } from 'express';
import { IdentityProviderUnavailableError } from '#auth';
import { isEtcdUnavailable } from '#etcd';
import { type Logger } from '#runtime';
import { ApprovalRefusedError, InvalidPageTokenError, RemediationClosedError, RemediationNotFoundError, ScheduleIdTakenError, SweepScheduleNotFoundError, isTemporalUnavailable } from '#temporal';
import { UnknownGatewayError } from '../gateways/known-gateways.js';
import { type Problem, problem, sendProblem } from './problem.js';
import { RequestValidationError } from './request-validation-error.js';

type ErrorClass = new (...args: never[]) => Error;

/** Domain errors and the answer each gets; the error's message is the detail. */
const DOMAIN_ERRORS: readonly [ErrorClass, number, string, Record<string, string>?][] = [
  [InvalidPageTokenError, 400, 'invalid-request', { field: 'pageToken' }],
  [UnknownGatewayError, 404, 'not-found'],
  [RemediationNotFoundError, 404, 'not-found'],
  [SweepScheduleNotFoundError, 404, 'not-found'],
  // Signalling or cancelling a run that has already ended.
  [RemediationClosedError, 409, 'conflict'],
  // Approving a run that is not waiting for approval, was already answered, or (four-eyes) by its starter.
  [ApprovalRefusedError, 409, 'conflict'],
  // A schedule id held by another kind of schedule.
  [ScheduleIdTakenError, 409, 'conflict'],
];

const KIND_OF_STATUS: Record<number, string> = { 400: 'invalid-request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 413: 'payload-too-large' };

const unavailable = (dependency: string): Problem =>
  problem(503, 'dependency-unavailable', `${dependency} is unavailable: the API cannot answer this until it is back`, { dependency });

/** Nest's own exceptions: the message is the detail; other fields of the response (e.g. `issues`) are kept. */
const fromHttpException = (error: HttpException): Problem => {
  const status = error.getStatus();
  const response = error.getResponse();
  const { message, statusCode: _statusCode, error: _label, ...rest } = typeof response === 'object' ? (response as Record<string, unknown>) : { message: response };
  const detail = Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
  return problem(status, KIND_OF_STATUS[status] ?? 'error', detail, rest);
};

/** Errors raised before a route runs (body parsing: malformed JSON, a body over the limit) carry a 4xx `status`. */
const clientErrorStatus = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown; expose?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 && (error as { expose?: unknown }).expose === true ? status : undefined;
};

/**
 * Every error answer as RFC 9457 problem+json. A dependency that cannot be reached is a
 * 503 naming it; anything unforeseen is a 500 whose detail reveals nothing and is logged.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    sendProblem(host.switchToHttp().getResponse<Response>(), this.toProblem(error));
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof RequestValidationError) {
      return problem(400, 'invalid-request', error.message, { field: error.issues[0]?.field, issues: error.issues });
    }
    if (error instanceof HttpException) return fromHttpException(error);
    const domain = DOMAIN_ERRORS.find(([type]) => error instanceof type);
    if (domain) return problem(domain[1], domain[2], (error as Error).message, domain[3]);
    if (isEtcdUnavailable(error)) return unavailable('etcd');
    if (isTemporalUnavailable(error)) return unavailable('Temporal');
    if (error instanceof IdentityProviderUnavailableError) return problem(503, 'dependency-unavailable', error.message, { dependency: 'identity provider' });
    const status = clientErrorStatus(error);
    if (status) return problem(status, KIND_OF_STATUS[status] ?? 'invalid-request', (error as Error).message);
    this.log.error({ err: error }, 'unexpected error answering a request');
    return problem(500, 'internal', 'unexpected error; it has been logged');
  }
}
