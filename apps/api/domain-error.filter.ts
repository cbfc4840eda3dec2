import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import { type Response } from 'express';
import { RemediationNotFoundError } from '#temporal';
import { UnknownGatewayError } from './remediations/remediations.service.js';

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
