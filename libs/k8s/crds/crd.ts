import { type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { type SchemaNode } from './structural-schema.js';

export const HOMEOSTAT_GROUP = 'homeostat.io';
export const HOMEOSTAT_API_VERSION = 'v1alpha1';

/** The status conditions every Homeostat CRD reports (metav1.Condition's shape). */
export const CONDITIONS_SCHEMA: SchemaNode = {
  type: 'array',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
  items: {
    type: 'object',
    required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
    properties: {
      type: { type: 'string', maxLength: 316 },
      status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
      observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
      lastTransitionTime: { type: 'string', format: 'date-time' },
      reason: { type: 'string', maxLength: 1024 },
      message: { type: 'string', maxLength: 32768 },
    },
  },
};

export interface CrdNames {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
}

/** A namespaced, one-version CRD with a status subresource. */
export const crd = (
  names: CrdNames,
  schema: { spec: SchemaNode; status: SchemaNode; description: string },
  printerColumns: { name: string; type: string; jsonPath: string; description?: string }[],
): V1CustomResourceDefinition => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${names.plural}.${HOMEOSTAT_GROUP}` },
  spec: {
    group: HOMEOSTAT_GROUP,
    scope: 'Namespaced',
    names: { kind: names.kind, listKind: `${names.kind}List`, plural: names.plural, singular: names.singular, shortNames: [...names.shortNames] },
    versions: [
      {
        name: HOMEOSTAT_API_VERSION,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [...printerColumns, { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: schema.description,
            properties: { spec: schema.spec, status: schema.status } as never,
          },
        },
      },
    ],
  },
});
