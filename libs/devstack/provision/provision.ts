import { join } from 'node:path';
import { PROJECT_STATE_DIR, findEtcd, findTemporal } from '../binaries.js';
import { findChromium, provisionChromium } from './provision-chromium.js';
import { provisionEtcd } from './provision-etcd.js';
import { withProvisionLock } from './provision-lock.js';
import { provisionTemporal } from './provision-temporal.js';
import { progress } from './run-step.js';

const LOCK_FILE = join(PROJECT_STATE_DIR, 'provision.lock');

const underLock = <T>(work: () => Promise<T>): Promise<T> =>
  withProvisionLock(LOCK_FILE, () => progress(`waiting for another process provisioning (${LOCK_FILE})`), work);

/** The etcd binary, provisioned on first use (cached under .homeostat/). */
export const etcdBinary = async (): Promise<string> => findEtcd() ?? underLock(provisionEtcd);

/** The Temporal CLI, provisioned on first use (cached under .homeostat/). */
export const temporalBinary = async (): Promise<string> => findTemporal() ?? underLock(provisionTemporal);

/** A headless Chromium (the fleet page's browser test), provisioned on first use. */
export const chromiumBinary = async (): Promise<string> => findChromium() ?? underLock(provisionChromium);

/**
 * Everything the embedded stack needs, except what TEMPORAL_ADDRESS / ETCD_ENDPOINTS
 * already provide. Run once before parallel work (jest's global setup, `npm run setup`).
 */
export const provisionStack = async (env: NodeJS.ProcessEnv = process.env): Promise<{ etcd?: string; temporal?: string }> => ({
  temporal: env.TEMPORAL_ADDRESS ? undefined : await temporalBinary(),
  etcd: env.ETCD_ENDPOINTS ? undefined : await etcdBinary(),
});
