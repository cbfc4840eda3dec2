import { type Request } from 'express';
import { type Identity } from '#core';

/** A request the authentication middleware let through: public paths have no identity. */
export interface AuthenticatedRequest extends Request {
  identity?: Identity;
}
