import { crd } from './crd.js';

export const STREAM_SESSION = { kind: 'StreamSession', plural: 'streamsessions', singular: 'streamsession', shortNames: ['ss'] } as const;

/**
 * The StreamSession CRD: one object per gateway pod, never one per client session. A
 * gateway holds thousands of sessions and a fleet millions; an object (and a watch event)
 * per session would overload the API server and etcd, so status carries counts, the
 * migration's progress and the last remediation's link, updated at most about once a second.
 */
export const streamSessionCrd = () =>
  crd(
    STREAM_SESSION,
    {
      description: 'The sessions one gateway pod holds, and the migration and remediation touching them (one object per pod, never per client session).',
      spec: {
        type: 'object',
        required: ['gatewayId'],
        properties: { gatewayId: { type: 'string', maxLength: 63 }, podName: { type: 'string', maxLength: 253 } },
      },
      status: {
        type: 'object',
        properties: {
          sessions: { type: 'integer', minimum: 0 },
          capacity: { type: 'integer', minimum: 0 },
          rotation: { type: 'string', enum: ['in', 'out'] },
          migration: {
            type: 'object',
            properties: {
              inProgress: { type: 'boolean' },
              moved: { type: 'integer', minimum: 0 },
              remaining: { type: 'integer', minimum: 0 },
            },
          },
          lastRemediation: {
            type: 'object',
            properties: {
              workflowId: { type: 'string' },
              outcome: { type: 'string' },
              link: { type: 'string' },
            },
          },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
    },
    [
      { name: 'Gateway', type: 'string', jsonPath: '.spec.gatewayId' },
      { name: 'Sessions', type: 'integer', jsonPath: '.status.sessions' },
      { name: 'Migrating', type: 'boolean', jsonPath: '.status.migration.inProgress' },
      { name: 'Last', type: 'string', jsonPath: '.status.lastRemediation.outcome' },
    ],
  );
