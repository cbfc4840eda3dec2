import { writeFileSync } from 'node:fs';
import { CRDS_FILE, renderCrds } from '#k8s';

// Regenerates deploy/k8s/crds.yaml from the zod schemas (run after a policy schema change).
writeFileSync(CRDS_FILE, renderCrds());
process.stdout.write(`wrote ${CRDS_FILE}\n`);
