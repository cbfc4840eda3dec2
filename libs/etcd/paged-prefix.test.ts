import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type EtcdServer, startEtcd } from '#devstack';
import { connectEtcd } from './connect.js';
import { readPrefixPaged } from './paged-prefix.js';

describe(readPrefixPaged.name, () => {
  let server: EtcdServer;
  let etcd: Etcd3;

  beforeAll(async () => {
    server = await startEtcd();
    etcd = connectEtcd(server.endpoints);
    const writes = Array.from({ length: 1_234 }, (_, i) => etcd.put(`/paged/items/${String(i).padStart(5, '0')}`).value(`v${i}`));
    await Promise.all([...writes, etcd.put('/paged/itemsX').value('outside'), etcd.put('/paged/item').value('outside')]);
  });

  afterAll(async () => {
    etcd.close();
    await server.stop();
  });

  it('should read every key under the prefix across pages, and nothing beside it', async () => {
    const all = await readPrefixPaged(etcd, '/paged/items/', 100);
    expect(Object.keys(all)).toHaveLength(1_234);
    expect(all['/paged/items/00000']).toBe('v0');
    expect(all['/paged/items/01233']).toBe('v1233');
    expect(Object.keys(all).every((key) => key.startsWith('/paged/items/'))).toBe(true);
  });

  it('should read a prefix whose size is an exact multiple of the page', async () => {
    const all = await readPrefixPaged(etcd, '/paged/items/000', 10);
    expect(Object.keys(all)).toHaveLength(100);
  });

  it('should read an empty prefix as empty', async () => {
    expect(await readPrefixPaged(etcd, '/paged/none/', 10)).toEqual({});
  });
});
