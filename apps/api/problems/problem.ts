import { STATUS_CODES } from 'node:http';
import { type Response } from 'express';

/** An RFC 9457 problem: what every error answer of the API is. */
export interface Problem {
  /** `urn:homeostat:problem:<kind>`; the kinds are listed in docs/security.md. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** For a validation error: the field, path parameter or query parameter at fault. */
  readonly field?: string;
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problem = (status: number, kind: string, detail: string, extensions: Record<string, unknown> = {}): Problem => ({
  type: `urn:homeostat:problem:${kind}`,
  title: STATUS_CODES[status] ?? 'Error',
  status,
  detail,
  ...extensions,
});

export const sendProblem = (res: Response, body: Problem): void => {
  if (body.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="homeostat"');
  res.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
};
