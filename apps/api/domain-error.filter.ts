import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import { type Response } from 'express';
import { RemediationClosedError, RemediationNotFoundError } from '#temporal';
import { UnknownGatewayError } from './gateways/known-gateways.js';

/** Which HTTP answer each domain error gets; its message is the reason. */
const STATUS_OF: readonly [new (...args: never[]) => Error, HttpStatus, string][] = [
  [UnknownGatewayError, HttpStatus.NOT_FOUND, 'Not Found'],
  [RemediationNotFoundError, HttpStatus.NOT_FOUND, 'Not Found'],
  // Signalling or cancelling a run that has already ended.
  [RemediationClosedError, HttpStatus.CONFLICT, 'Conflict'],
];

@Catch(UnknownGatewayError, RemediationNotFoundError, RemediationClosedError)
export class DomainErrorFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const [, statusCode, label] = STATUS_OF.find(([type]) => error instanceof type) ?? [Error, HttpStatus.INTERNAL_SERVER_ERROR, 'Error'];
    host.switchToHttp().getResponse<Response>().status(statusCode).json({ statusCode, error: label, message: error.message });
  }
}
