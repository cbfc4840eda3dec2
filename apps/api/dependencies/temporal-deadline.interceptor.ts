import { type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { SSE_METADATA } from '@nestjs/common/constants.js';
import { type Connection } from '@temporalio/client';
import { type Observable, from, lastValueFrom } from 'rxjs';

/**
 * Every Temporal call a request makes shares one deadline: with Temporal down, the
 * client's retries stop there and the request answers 503 instead of hanging.
 * Event streams are let through as they are.
 */
export class TemporalDeadlineInterceptor implements NestInterceptor {
  constructor(
    private readonly temporal: Connection,
    private readonly timeoutMs: number,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // An event stream never completes: it sets a deadline per event itself (the fleet page's stream).
    if (Reflect.getMetadata(SSE_METADATA, context.getHandler())) return next.handle();
    return from(this.temporal.withDeadline(Date.now() + this.timeoutMs, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
