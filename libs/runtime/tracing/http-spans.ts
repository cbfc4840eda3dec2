import { type IncomingHttpHeaders } from 'node:http';
export { SpanKind } from '@opentelemetry/api';
import { type Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';

const tracer = () => trace.getTracer('homeostat');

/** W3C `traceparent`/`tracestate` of the active context, to send along with an outgoing request. */
export const traceHeaders = (): Record<string, string> => {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
};

/** Runs `work` in a span (by default a client span: an outgoing call), its context active so the call can carry it. */
export const inClientSpan = <T>(name: string, attributes: Record<string, string>, work: () => Promise<T>, kind = SpanKind.CLIENT): Promise<T> =>
  tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });

/**
 * Starts the server span of an incoming request, continuing the caller's trace
 * when it sent a `traceparent`; the caller ends it with {@link endServerSpan}.
 */
export const startServerSpan = (name: string, headers: IncomingHttpHeaders, attributes: Record<string, string | number>): { span: Span; run: <T>(work: () => T) => T } => {
  const parent = propagation.extract(context.active(), headers);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  const active = trace.setSpan(parent, span);
  return { span, run: (work) => context.with(active, work) };
};

export const endServerSpan = (span: Span, status: number): void => {
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
};
