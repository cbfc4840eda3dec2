import { SetMetadata } from '@nestjs/common';
import { type Role } from '#core';

export const REQUIRED_ROLE = 'homeostat:required-role';

/** The role a route needs; without it, reads need viewer and everything else admin (see defaultRoleFor). */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);
