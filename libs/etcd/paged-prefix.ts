import { type Etcd3, Range } from 'etcd3';

/** Keys per range request: a page of 500 vitals records is a few hundred KB, far below gRPC's 4 MB message limit. */
export const DEFAULT_PAGE_SIZE = 500;

/**
 * Every key and value under `prefix`, read page by page in key order. One range read of a
 * large fleet's vitals would outgrow gRPC's message limit (4 MB by default) long before
 * etcd minds; pages keep each response small and the round trips few (n / pageSize).
 */
export const readPrefixPaged = (etcd: Etcd3, prefix: string, pageSize = DEFAULT_PAGE_SIZE): Promise<Record<string, string>> =>
  readRangePaged(etcd, Buffer.from(prefix), Range.prefix(prefix).end, pageSize);

/** Every key and value in [start, end), page by page in key order (see {@link readPrefixPaged}). */
export const readRangePaged = async (etcd: Etcd3, from: Buffer, end: Buffer, pageSize = DEFAULT_PAGE_SIZE): Promise<Record<string, string>> => {
  const all: Record<string, string> = {};
  let start = from;
  for (;;) {
    const page = await etcd.getAll().inRange(new Range(start, end)).sort('Key', 'Ascend').limit(pageSize).strings();
    const keys = Object.keys(page);
    Object.assign(all, page);
    if (keys.length < pageSize) return all;
    // The next page starts just after the last key read (a key followed by a zero byte).
    start = Buffer.concat([Buffer.from(keys.at(-1) as string), Buffer.from([0])]);
  }
};
