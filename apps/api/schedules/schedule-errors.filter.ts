import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import { type Response } from 'express';
import { ScheduleIdTakenError, SweepScheduleNotFoundError } from '#temporal';

/** An unknown sweep schedule is 404; an id held by another kind of schedule is 409. */
@Catch(SweepScheduleNotFoundError, ScheduleIdTakenError)
export class ScheduleErrorsFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const [statusCode, reason] =
      error instanceof SweepScheduleNotFoundError ? [HttpStatus.NOT_FOUND, 'Not Found'] : [HttpStatus.CONFLICT, 'Conflict'];
    host.switchToHttp().getResponse<Response>().status(statusCode).json({ statusCode, error: reason, message: error.message });
  }
}
