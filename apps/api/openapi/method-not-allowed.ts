import { type NextFunction, type Request, type Response } from 'express';
import { problem, sendProblem } from '../problems/problem.js';
import { type OpenApiDocument } from './openapi-document.js';

interface RouteMethods {
  readonly pattern: RegExp;
  /** Path parameters in the template: of the templates a path matches, those with fewest name it (`/validate` over `/{version}`). */
  readonly parameters: number;
  readonly methods: readonly string[];
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** `/v1/gateways/{gatewayId}` as a pattern for request paths: a parameter is one path segment. */
const routeMethods = (document: OpenApiDocument): RouteMethods[] =>
  Object.entries(document.paths).map(([path, operations]) => ({
    pattern: new RegExp(`^${path.split(/\{[^}]+\}/).map(escapeRegex).join('[^/]+')}/?$`),
    parameters: (path.match(/\{[^}]+\}/g) ?? []).length,
    methods: Object.keys(operations).map((verb) => verb.toUpperCase()),
  }));

/**
 * A method the API does not serve on a path it does serve gets 405 with `Allow` (RFC 9110
 * §15.5.6), not the 404 Nest's router would give: the path exists, the method does not.
 * Paths the document does not know (and unknown paths) go on to the router as before.
 */
export const methodNotAllowed = (document: OpenApiDocument) => {
  const routes = routeMethods(document);
  return (req: Request, res: Response, next: NextFunction): void => {
    const matching = routes.filter((route) => route.pattern.test(req.path));
    if (matching.length === 0) return next();
    const fewest = Math.min(...matching.map((route) => route.parameters));
    const allowed = new Set(matching.filter((route) => route.parameters === fewest).flatMap((route) => route.methods));
    if (allowed.has('GET')) allowed.add('HEAD');
    if (allowed.has(req.method)) return next();
    const allow = [...allowed].sort().join(', ');
    res.setHeader('Allow', allow);
    sendProblem(res, problem(405, 'method-not-allowed', `${req.method} is not served on ${req.path}; allowed: ${allow}`));
  };
};
