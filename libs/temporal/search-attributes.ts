import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Workflow-safe (only @temporalio/common): workflows upsert these, the API filters by them.
export const GatewayIdAttribute = defineSearchAttributeKey('GatewayId', SearchAttributeType.KEYWORD);
export const ActionAttribute = defineSearchAttributeKey('Action', SearchAttributeType.KEYWORD);
export const OutcomeAttribute = defineSearchAttributeKey('Outcome', SearchAttributeType.KEYWORD);
export const TriggerAttribute = defineSearchAttributeKey('Trigger', SearchAttributeType.KEYWORD);

export const HOMEOSTAT_SEARCH_ATTRIBUTES = [GatewayIdAttribute, ActionAttribute, OutcomeAttribute, TriggerAttribute];
