import { z } from 'zod';
import { PolicySchema } from '#core';
import { CONDITIONS_SCHEMA, crd } from './crd.js';
import { type SchemaNode, toStructural, withoutProperty } from './structural-schema.js';

export const FAILOVER_POLICY = { kind: 'FailoverPolicy', plural: 'failoverpolicies', singular: 'failoverpolicy', shortNames: ['fpol'] } as const;

/**
 * The FailoverPolicy CRD. Its spec's schema is generated from the zod policy schema (one
 * source of truth; `version` is left out because the etcd store numbers policies itself),
 * so `kubectl explain failoverpolicy.spec` documents the same fields the API validates.
 */
export const failoverPolicyCrd = () =>
  crd(
    FAILOVER_POLICY,
    {
      description: 'A Homeostat remediation policy. The controller validates it and publishes it to the etcd policy store; status says which version is in force.',
      spec: withoutProperty(toStructural(z.toJSONSchema(PolicySchema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' }) as SchemaNode), 'version'),
      status: {
        type: 'object',
        properties: {
          appliedVersion: { type: 'integer', description: 'The etcd policy version this object was published as.' },
          observedGeneration: { type: 'integer', format: 'int64' },
          conditions: CONDITIONS_SCHEMA,
        },
      },
    },
    [
      { name: 'Applied', type: 'integer', jsonPath: '.status.appliedVersion', description: 'etcd policy version' },
      { name: 'Valid', type: 'string', jsonPath: '.status.conditions[?(@.type=="Valid")].status' },
      { name: 'Mode', type: 'string', jsonPath: '.spec.mode' },
    ],
  );
