import { provisionStack } from '#devstack';

/**
 * Provisions etcd and the Temporal CLI once, before any suite starts, so suites
 * running in parallel never race to install them (the install also holds a lock
 * file, for a demo or a second test run at the same time).
 */
export default async (): Promise<void> => {
  // The suites start their own services, so TEMPORAL_ADDRESS / ETCD_ENDPOINTS do not excuse provisioning.
  await provisionStack({});
};
