import { patched } from '@temporalio/workflow';

/**
 * Workflow versioning (DESIGN: a change to a workflow's history shape goes behind
 * `patched()`). Runs started before versioning began have no marker in their
 * history and replay the frozen code in `./v1`; every new run records the marker
 * as its first command and runs the live code.
 */
export const isV1History = (): boolean => !patched('v2');
