import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Role, defaultRoleFor, roleAllows } from '#core';
import { type AuthenticatedRequest } from './authenticated-request.js';
import { isPublicPath } from './public-paths.js';
import { REQUIRED_ROLE } from './requires-role.decorator.js';

/** Authorization: the caller's role against what the route needs. Authentication happened before routing. */
@Injectable()
export class RoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (isPublicPath(req.path)) return true;
    // Unreachable while the middleware is installed; a guard that fails closed if it is not.
    if (!req.identity) throw new UnauthorizedException('no credentials: send Authorization: Bearer <token>');
    const needed = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]) ?? defaultRoleFor(req.method);
    const { name, role } = req.identity;
    if (!role) throw new ForbiddenException(`${name} has no Homeostat role; ${req.method} ${req.path} needs ${needed}`);
    if (!roleAllows(role, needed)) throw new ForbiddenException(`${name} is ${role}; ${req.method} ${req.path} needs ${needed}`);
    return true;
  }
}
