import { provisionKubeBinaries, provisionStack } from '#devstack';

/**
 * Provisions etcd, the Temporal CLI and the K8s test binaries once, before any suite
 * starts, so suites running in parallel never race to install them (the installs also
 * hold lock files, for a demo or a second test run at the same time).
 */
export default async (): Promise<void> => {
  // The suites start their own services, so TEMPORAL_ADDRESS / ETCD_ENDPOINTS do not excuse provisioning.
  await provisionStack({});
  provisionKubeBinaries();
};
