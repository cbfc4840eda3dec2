import { type ExecutionContext, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { type Identity } from '#core';
import { type AuthenticatedRequest } from './authenticated-request.js';

/** The authenticated caller: who a report records as having started, approved or rejected something. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Identity => {
  const { identity } = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!identity) throw new UnauthorizedException('no credentials: send Authorization: Bearer <token>');
  return identity;
});
