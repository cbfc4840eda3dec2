import { type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { type Connection } from '@temporalio/client';
import { type Observable, from, lastValueFrom } from 'rxjs';

/**
 * Every Temporal call a request makes shares one deadline: with Temporal down, the
 * client's retries stop there and the request answers 503 instead of hanging.
 */
export class TemporalDeadlineInterceptor implements NestInterceptor {
  constructor(
    private readonly temporal: Connection,
    private readonly timeoutMs: number,
  ) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.temporal.withDeadline(Date.now() + this.timeoutMs, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
