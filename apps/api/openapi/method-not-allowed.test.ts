import { describe, expect, it } from '@jest/globals';
import { type NextFunction, type Request, type Response } from 'express';
import { methodNotAllowed } from './method-not-allowed.js';
import { type OpenApiDocument } from './openapi-document.js';

const document = {
  paths: { '/v1/flags/{name}': { get: {}, put: {} }, '/v1/policies/validate': { post: {} }, '/v1/policies/{version}': { get: {} } },
} as unknown as OpenApiDocument;

/** What the middleware did with one request: passed it on, or answered it. */
const handle = (method: string, path: string) => {
  const answer: { status?: number; headers: Record<string, string>; body?: string } = { headers: {} };
  const res = {
    setHeader: (name: string, value: string) => void (answer.headers[name] = value),
    status(code: number) {
      answer.status = code;
      return this;
    },
    type(value: string) {
      answer.headers['content-type'] = value;
      return this;
    },
    send: (body: string) => void (answer.body = body),
  } as unknown as Response;
  let passed = false;
  methodNotAllowed(document)({ method, path } as Request, res, (() => (passed = true)) as NextFunction);
  return { passed, ...answer };
};

describe(methodNotAllowed.name, () => {
  it('should answer 405 with Allow for a method a known path does not serve', () => {
    const answer = handle('TRACE', '/v1/flags/detector-shadow');
    expect(answer).toMatchObject({ passed: false, status: 405, headers: { Allow: 'GET, HEAD, PUT', 'content-type': 'application/problem+json' } });
    expect(JSON.parse(answer.body!)).toMatchObject({ type: 'urn:homeostat:problem:method-not-allowed', status: 405 });
  });

  it('should answer for the resource a path names, not for a template it also fits', () => {
    expect(handle('GET', '/v1/policies/validate')).toMatchObject({ passed: false, status: 405, headers: { Allow: 'POST' } });
    expect(handle('GET', '/v1/policies/7').passed).toBe(true);
  });

  it.each([
    ['GET', '/v1/flags/x'],
    ['HEAD', '/v1/flags/x'],
    ['PUT', '/v1/flags/x/'],
    ['POST', '/v1/policies/validate'],
    ['DELETE', '/v1/unknown'],
    ['DELETE', '/v1/flags/x/y'],
  ])('should pass %s %s on to the router', (method, path) => {
    expect(handle(method, path).passed).toBe(true);
  });
});
