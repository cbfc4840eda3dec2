import { z } from 'zod';
import { port, urlList } from '#core';
import { TemporalSettingsSchema } from '#temporal';

export const ApiSettingsSchema = TemporalSettingsSchema.extend({
  ETCD_ENDPOINTS: urlList,
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port.default(8080),
});

export type ApiSettings = z.infer<typeof ApiSettingsSchema>;

/** DI tokens for what is not a class. */
export const API_SETTINGS = Symbol('API_SETTINGS');
