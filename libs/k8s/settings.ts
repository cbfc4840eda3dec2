import { z } from 'zod';
import { DEFAULT_GATEWAY_SELECTOR, commaList } from '#core';

/** A label selector as the API server accepts it: `key=value` pairs, comma-separated. */
const labelSelector = z
  .string()
  .regex(/^[A-Za-z0-9./_-]+(=|==|!=)[A-Za-z0-9._-]*(,[A-Za-z0-9./_-]+(=|==|!=)[A-Za-z0-9._-]*)*$/, 'must be a label selector like app.kubernetes.io/component=push-gateway');

const namespaceName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name').max(63);

/**
 * K8s mode: off by default (the embedded etcd-only mode). On, the worker watches gateway
 * pods, labels them in and out of rotation and writes Events; the API server is found
 * through KUBECONFIG, else the in-cluster service account.
 */
export const K8sSettingsSchema = z.object({
  K8S_MODE: z.enum(['on', 'off']).default('off').transform((v) => v === 'on'),
  /** Namespaces whose gateway pods Homeostat manages. */
  K8S_NAMESPACES: commaList.pipe(z.array(namespaceName).min(1)).default(['default']),
  K8S_GATEWAY_SELECTOR: labelSelector.default(DEFAULT_GATEWAY_SELECTOR),
  /** A kubeconfig file; unset inside a cluster, where the pod's service account is used. */
  KUBECONFIG: z.string().min(1).optional(),
  /** Where the leader Lease and the FailoverPolicy/StreamSession objects live (default: the first namespace). */
  K8S_CONTROL_NAMESPACE: namespaceName.optional(),
  /** This replica's name in the leader Lease (default: POD_NAME, else host name and pid). */
  POD_NAME: z.string().min(1).max(253).optional(),
});

export type K8sSettings = z.infer<typeof K8sSettingsSchema>;

export const controlNamespace = (settings: K8sSettings): string => settings.K8S_CONTROL_NAMESPACE ?? (settings.K8S_NAMESPACES[0] as string);
