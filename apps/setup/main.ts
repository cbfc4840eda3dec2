import { provisionStack } from '#devstack';

/**
 * `npm run setup`: provisions now what the demo and the tests would provision on
 * first use anyway (etcd, the Temporal CLI), and says where each one is.
 */
provisionStack().then(
  ({ etcd, temporal }) => {
    console.log(`etcd: ${etcd ?? `using ETCD_ENDPOINTS=${process.env.ETCD_ENDPOINTS}`}`);
    console.log(`temporal: ${temporal ?? `using TEMPORAL_ADDRESS=${process.env.TEMPORAL_ADDRESS}`}`);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
