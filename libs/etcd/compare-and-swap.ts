import { type Etcd3 } from 'etcd3';
import { type z } from 'zod';
import { parseRecord } from './json-value.js';

export class ContentionError extends Error {
  constructor(key: string, attempts: number) {
    super(`etcd key ${key} kept changing under us (${attempts} attempts); giving up this attempt (Temporal retries the activity)`);
    this.name = 'ContentionError';
  }
}

/** What a change decides: the key's new value (`null`: delete it, `undefined`: leave it) and what to return. */
export interface Change<T, R> {
  readonly write?: T | null;
  readonly result: R;
}

const ATTEMPTS = 10;

/**
 * Read-decide-write on one key without a lost update: the write is a transaction
 * that only commits if the key's mod revision is still the one read ('0': still
 * absent); otherwise it reads again and decides again. `decide` must be pure in
 * the value it is given (it may run several times).
 */
export const changeByRevision = async <S extends z.ZodType, R>(
  etcd: Etcd3,
  key: string,
  schema: S,
  decide: (current: z.infer<S> | undefined) => Change<z.infer<S>, R> | Promise<Change<z.infer<S>, R>>,
): Promise<R> => {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const kv = (await etcd.get(key).exec()).kvs[0];
    const current = kv ? (parseRecord(schema, key, kv.value.toString()) as z.infer<S>) : undefined;
    const { write, result } = await decide(current);
    if (write === undefined) return result;
    const guarded = etcd.if(key, 'Mod', '==', kv ? kv.mod_revision : '0');
    const operation = write === null ? etcd.delete().key(key) : etcd.put(key).value(JSON.stringify(write));
    if ((await guarded.then(operation).commit()).succeeded) return result;
  }
  throw new ContentionError(key, ATTEMPTS);
};
