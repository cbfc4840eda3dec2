import { z } from 'zod';
import { AuthSettingsSchema, requireIdentitySource } from '#auth';
import { port, positiveInt } from '#core';
import { EtcdSettingsShape } from '#etcd';
import { TemporalSettingsSchema } from '#temporal';

export const ApiSettingsSchema = TemporalSettingsSchema.extend({
  ...EtcdSettingsShape,
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port.default(8080),
  /** Request bodies above this get 413; the largest legitimate one (a policy) is a few KiB. */
  API_BODY_LIMIT_BYTES: positiveInt.max(16 * 1024 * 1024).default(64 * 1024),
  /** Deadline for each etcd call, so an endpoint answers 503 in bounded time when etcd is away. */
  API_ETCD_TIMEOUT_MS: positiveInt.max(60_000).default(1_000),
  /** Deadline for the Temporal calls of one request, likewise. */
  API_TEMPORAL_TIMEOUT_MS: positiveInt.max(60_000).default(1_500),
  ...AuthSettingsSchema.shape,
}).superRefine(requireIdentitySource);

export type ApiSettings = z.infer<typeof ApiSettingsSchema>;

/** DI tokens for what is not a class. */
export const API_SETTINGS = Symbol('API_SETTINGS');
