import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { type KubernetesObject, KubernetesObjectApi, PatchStrategy, loadAllYaml } from '@kubernetes/client-node';
import { type KubeCluster, startKubeCluster } from '#devstack';
import { KubeClients } from '#k8s';
import { describeK8s } from './support/k8s-env.js';

const MANIFESTS = ['crds.yaml', 'rbac.yaml', 'homeostat.yaml', 'gateway.yaml'];

const load = (file: string): KubernetesObject[] => loadAllYaml(readFileSync(`deploy/k8s/${file}`, 'utf8')).filter(Boolean) as KubernetesObject[];

/** deploy/k8s/ against a real kube-apiserver: what `kubectl apply --server-side --dry-run=server` checks. */
describeK8s('deploy/k8s manifests', () => {
  let cluster: KubeCluster;
  let objects: KubernetesObjectApi;

  beforeAll(async () => {
    cluster = await startKubeCluster();
    const kube = KubeClients.from({ kind: 'explicit', cluster });
    objects = KubernetesObjectApi.makeApiClient(kube.config);
    // Namespaced objects need their namespace to exist, even in a dry run.
    for (const ns of load('namespace.yaml')) await objects.create(ns);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it.each(MANIFESTS)('should accept %s with a server-side apply dry run', async (file) => {
    const applied = [];
    for (const object of load(file)) {
      const result = await objects.patch(object, undefined, 'All', 'homeostat-manifests-test', true, PatchStrategy.ServerSideApply);
      applied.push(`${result.kind}/${result.metadata?.name}`);
    }
    expect(applied.length).toBeGreaterThan(0);
    expect(applied).toEqual(load(file).map((o) => `${o.kind}/${o.metadata?.name}`));
  });
});
