import { z } from 'zod';
import { GatewayRegistrationSchema, GatewayStateRecordSchema, GatewayVitalsSchema } from '#core';
import { DetectionRecordSchema } from '#etcd';
import { RunSummary } from '../remediations/remediation-responses.js';

/** The records are the very schemas etcd's values are parsed with: what the API shows is what was read. */
const HealthView = z.object({
  score: z.number().describe('0..100 from the latest vitals, with the policy thresholds'),
  signals: z.array(z.object({ component: z.string(), value: z.number().nullable(), deduction: z.number() })).describe('What costs points, largest first'),
});

const VitalsPoint = z.object({
  at: z.number(),
  connections: z.number(),
  rttMedianMs: z.number().nullable(),
  errorsPerSec: z.number(),
  writeBlockedRatio: z.number(),
  finRstPerSec: z.number(),
});

export const GatewayView = z.object({
  id: z.string(),
  registered: z.boolean().describe('Registered (its lease alive) right now'),
  registration: GatewayRegistrationSchema.nullable(),
  state: GatewayStateRecordSchema.nullable(),
  sessions: z.number().nullable(),
  health: HealthView.nullable(),
  vitals: GatewayVitalsSchema.nullable(),
  vitalsHistory: z.array(VitalsPoint),
  detection: DetectionRecordSchema.nullable(),
  runs: z.object({ open: z.array(RunSummary), recent: z.array(RunSummary) }),
});

export const GatewayList = z.object({ gateways: z.array(GatewayView) });
