import { z } from 'zod';

/** Comma-separated list, e.g. ETCD_ENDPOINTS=http://a:2379,http://b:2379. */
export const commaList = z
  .string()
  .transform((raw) => raw.split(',').map((part) => part.trim()).filter(Boolean))
  .pipe(z.array(z.string()).min(1, 'must list at least one value'));

export const urlList = commaList.pipe(z.array(z.string().url('must be a URL like http://127.0.0.1:2379')).min(1));

export const port = z.coerce.number().int().min(0).max(65_535);

export const positiveInt = z.coerce.number().int().positive();

/** Shared by every gateway of a fleet: signs and checks redirect tokens. */
export const redirectSecret = z.string().min(32, 'must be at least 32 characters (it keys HMAC-SHA256)');

/** Shared by the control plane (workers, detectors, operators' tools) and every gateway: signs control requests. */
export const controlSecret = z.string().min(32, 'must be at least 32 characters (it keys HMAC-SHA256)');
