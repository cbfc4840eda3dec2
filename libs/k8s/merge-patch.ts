import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';

/** client-node patches with JSON Patch unless told otherwise; Homeostat only ever merges. */
export const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
