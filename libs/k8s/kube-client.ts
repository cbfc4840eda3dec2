import {
  ApiextensionsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  EventsV1Api,
  KubeConfig,
} from '@kubernetes/client-node';

/** An API server named outright (tests, the dev stack): URL, its CA and a bearer token. */
export interface ExplicitCluster {
  readonly server: string;
  readonly caData: string;
  readonly token: string;
}

export type KubeSource = { readonly kind: 'explicit'; readonly cluster: ExplicitCluster } | { readonly kind: 'kubeconfig'; readonly file: string } | { readonly kind: 'in-cluster' };

export const kubeConfigFrom = (source: KubeSource): KubeConfig => {
  const kc = new KubeConfig();
  switch (source.kind) {
    case 'explicit': {
      const { server, caData, token } = source.cluster;
      kc.loadFromOptions({
        clusters: [{ name: 'homeostat', server, caData: Buffer.from(caData).toString('base64') }],
        users: [{ name: 'homeostat', token }],
        contexts: [{ name: 'homeostat', cluster: 'homeostat', user: 'homeostat' }],
        currentContext: 'homeostat',
      });
      break;
    }
    case 'kubeconfig':
      kc.loadFromFile(source.file);
      break;
    case 'in-cluster':
      kc.loadFromCluster();
      break;
  }
  return kc;
};

/** KUBECONFIG when set, else the pod's service account. */
export const kubeSourceFromSettings = (settings: { readonly KUBECONFIG?: string | undefined }): KubeSource =>
  settings.KUBECONFIG ? { kind: 'kubeconfig', file: settings.KUBECONFIG } : { kind: 'in-cluster' };

/** The typed API groups Homeostat uses, over one KubeConfig. */
export class KubeClients {
  readonly core: CoreV1Api;
  readonly events: EventsV1Api;
  readonly coordination: CoordinationV1Api;
  readonly custom: CustomObjectsApi;
  readonly apiextensions: ApiextensionsV1Api;
  readonly discovery: DiscoveryV1Api;

  constructor(readonly config: KubeConfig) {
    this.core = config.makeApiClient(CoreV1Api);
    this.events = config.makeApiClient(EventsV1Api);
    this.coordination = config.makeApiClient(CoordinationV1Api);
    this.custom = config.makeApiClient(CustomObjectsApi);
    this.apiextensions = config.makeApiClient(ApiextensionsV1Api);
    this.discovery = config.makeApiClient(DiscoveryV1Api);
  }

  static from(source: KubeSource): KubeClients {
    return new KubeClients(kubeConfigFrom(source));
  }
}

/** The API server's answer code, when an error is one (client-node 2 throws ApiException with `code`). */
export const httpStatusOf = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'number' ? (error as { code: number }).code : undefined;

export const isNotFound = (error: unknown): boolean => httpStatusOf(error) === 404;
export const isConflict = (error: unknown): boolean => httpStatusOf(error) === 409;
