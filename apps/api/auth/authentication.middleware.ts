import { type NextFunction, type Response } from 'express';
import { type Authenticator } from '#auth';
import { problem, sendProblem } from '../problems/problem.js';
import { type AuthenticatedRequest } from './authenticated-request.js';
import { isPublicPath } from './public-paths.js';

/**
 * Runs before routing and body parsing, so nothing about the API (not even which routes
 * exist) and no request body is processed for a caller without a valid token.
 */
export const authenticationMiddleware =
  (authenticator: Authenticator) =>
  (req: AuthenticatedRequest, res: Response, next: NextFunction): void => {
    if (isPublicPath(req.path)) return next();
    authenticator.authenticate(req.headers.authorization).then(
      (result) => {
        if (!result.ok) return sendProblem(res, problem(401, 'unauthenticated', result.reason));
        req.identity = result.identity;
        next();
      },
      (error: unknown) => next(error),
    );
  };
