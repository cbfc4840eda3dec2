import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import { type Response } from 'express';
import { RemediationClosedError, RemediationNotFoundError } from '#temporal';
import { UnknownGatewayError } from './gateways/known-gateways.js';

/** Domain "not found" errors become 404 with their message as the reason. */
@Catch(UnknownGatewayError, RemediationNotFoundError)
export class NotFoundFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(HttpStatus.NOT_FOUND)
      .json({ statusCode: HttpStatus.NOT_FOUND, error: 'Not Found', message: error.message });
  }
}

/** Signalling or cancelling a run that has already ended: 409 with the run's status. */
@Catch(RemediationClosedError)
export class ConflictFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(HttpStatus.CONFLICT)
      .json({ statusCode: HttpStatus.CONFLICT, error: 'Conflict', message: error.message });
  }
}
