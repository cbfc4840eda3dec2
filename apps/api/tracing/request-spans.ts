import { type NextFunction, type Request, type Response } from 'express';
import { endServerSpan, startServerSpan } from '#runtime';

/**
 * A server span per request, continuing the caller's `traceparent` if it sent
 * one; the rest of the request runs in its context, so starting a workflow
 * (Temporal's client interceptor) puts the run in the same trace. Named after
 * the route template once routing has matched it.
 */
export const requestSpans = (req: Request, res: Response, next: NextFunction): void => {
  const { span, run } = startServerSpan(`HTTP ${req.method}`, req.headers, { 'http.request.method': req.method, 'url.path': req.path });
  res.once('finish', () => {
    const route = (req.route as { path?: string } | undefined)?.path;
    if (route) span.updateName(`HTTP ${req.method} ${route}`).setAttribute('http.route', route);
    endServerSpan(span, res.statusCode);
  });
  run(next);
};
