import { z } from 'zod';
import { ChangeAuthorSchema, PolicySchema, RecordedRunSchema, RecordedTriggerSchema, TimelineEventSchema } from '#core';

const publishedBy = ChangeAuthorSchema.describe('The authenticated caller who published this version through the API');

export const CurrentPolicy = z.object({
  version: z.number().int(),
  source: z.enum(['stored', 'default']).describe('`default` until a policy is stored: the built-in one is in force'),
  policy: PolicySchema,
  versions: z.array(z.number().int()),
  publishedBy: publishedBy.optional().describe('Absent for the default and for versions written without the API'),
});

/**
 * A simulation's tallies (libs/core/policy-lab/simulation-result.ts): the top-level counts are
 * described, the nested tallies and incidents are open (the lab grows them).
 */
const SimulationSummary = z.looseObject({
  window: z.object({ fromMs: z.number(), untilMs: z.number() }),
  gateways: z.number(),
  observations: z.number(),
  incidents: z.number(),
  determinism: z.looseObject({
    decisions: z.number(),
    reproduced: z.number(),
    runs: z.looseObject({ recorded: z.number(), reproduced: z.number() }).describe('The runs the detector started: how many the policy in force, replayed, starts too'),
  }),
  runs: z.object({ recorded: z.number(), inIncidents: z.number(), outsideIncidents: z.number(), incidentsNotRecorded: z.number() }),
  inForce: z.looseObject({ removals: z.number() }),
  candidate: z.looseObject({ removals: z.number() }),
  differences: z.record(z.string(), z.number()),
});

export const SimulationAnswer = z.object({
  summary: SimulationSummary,
  incidents: z
    .array(
      z.looseObject({
        happened: z
          .object({ status: z.enum(['recorded', 'not-recorded', 'no-run']), runs: z.array(RecordedRunSchema), triggers: z.array(RecordedTriggerSchema) })
          .describe("What actually happened: the runs recorded in the incident (their decisions and outcome), the non-detector triggers"),
      }),
    )
    .describe('Per incident: what happened, what the policy in force and the candidate would have decided, the difference'),
  outsideIncidents: z.array(TimelineEventSchema).describe('Runs and triggers recorded in the window outside every incident'),
  truncated: z.boolean().describe('More incidents than the answer carries; the summary counts them all'),
  corruptObservations: z.number(),
  corruptEvents: z.number().describe('Recorded runs and triggers that did not parse (skipped)'),
});

/** `lab.requireSimulation`: what the simulation on publish found (absent when the policy asks for none). */
const GateVerdict = z.object({
  enforce: z.boolean(),
  reason: z.string(),
  lookbackHours: z.number(),
  maxRemovals: z.number(),
  summary: SimulationSummary.nullable(),
});

export const PublishedPolicy = z.object({ version: z.number().int(), policy: PolicySchema, publishedBy, gate: GateVerdict.optional() });

export const ValidPolicy = z.object({ valid: z.literal(true), policy: PolicySchema });
