import { z } from 'zod';

export const PolicyVersionParam = z.coerce.number({ error: 'version must be a number' }).int('version must be a whole number').positive('version must be positive');
