import { type Connection } from '@temporalio/client';
// @temporalio/proto is CommonJS: from ESM only its default export is reliable.
import proto from '@temporalio/proto';
import { HOMEOSTAT_SEARCH_ATTRIBUTES } from './search-attributes.js';

const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/**
 * Registers the custom search attributes Homeostat writes, skipping those the
 * namespace already has, so this is safe on every start and on a shared cluster.
 */
export const registerSearchAttributes = async (connection: Connection, namespace: string): Promise<void> => {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = HOMEOSTAT_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, KEYWORD])),
  });
};
