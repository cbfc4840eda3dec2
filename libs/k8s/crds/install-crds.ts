import { type KubeClients, isConflict } from '../kube-client.js';
import { homeostatCrds } from './render-crds.js';

/**
 * Creates Homeostat's CRDs (as `kubectl apply -f deploy/k8s/crds.yaml` would on a fresh
 * cluster) and waits until the API server serves them. For the dev stack and tests;
 * in production the manifests are applied by whoever installs Homeostat.
 */
export const installCrds = async (kube: KubeClients, timeoutMs = 30_000): Promise<void> => {
  const crds = homeostatCrds();
  for (const body of crds) {
    await kube.apiextensions.createCustomResourceDefinition({ body }).catch((error: unknown) => {
      if (!isConflict(error)) throw error;
    });
  }
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    for (;;) {
      const current = await kube.apiextensions.readCustomResourceDefinition({ name });
      if (current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not Established within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
};
