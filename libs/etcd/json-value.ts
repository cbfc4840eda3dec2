import { type z } from 'zod';

export class CorruptRecordError extends Error {
  constructor(key: string, detail: string) {
    super(`etcd key ${key} holds an invalid record: ${detail}`);
    this.name = 'CorruptRecordError';
  }
}

/** Values in etcd are input like any other: parse them, and name the key when they are wrong. */
export const parseRecord = <S extends z.ZodType>(schema: S, key: string, raw: string): z.infer<S> => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new CorruptRecordError(key, 'not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new CorruptRecordError(key, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
};
