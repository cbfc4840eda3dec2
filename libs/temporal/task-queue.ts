/** The one task queue Homeostat's workflows and activities run on (DESIGN.md). */
export const HOMEOSTAT_TASK_QUEUE = 'homeostat';
