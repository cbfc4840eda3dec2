// Bundles the compiled workflows of a build folder into <build>/workflow-bundle.js,
// the file the worker loads (`workflowBundle: { codePath }`) and the replay test
// replays against. Plain JavaScript: it runs before the build it bundles is in place.
//
// The internal packages (#core, #temporal, …) map to `./dist/…` in package.json,
// which during a build is the previous build (or nothing): point them at the
// folder being bundled instead.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

const buildDir = resolve(process.argv[2] ?? 'dist');
const { imports } = JSON.parse(readFileSync('package.json', 'utf8'));
const alias = Object.fromEntries(
  Object.keys(imports)
    .filter((name) => !name.endsWith('/*'))
    .map((name) => [name, join(buildDir, 'libs', name.slice(1))]),
);

const quiet = () => undefined;
const { code } = await bundleWorkflowCode({
  workflowsPath: join(buildDir, 'workflows/index.js'),
  workflowInterceptorModules: [join(buildDir, 'workflows/interceptors/index.js')],
  webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, alias: { ...config.resolve?.alias, ...alias } } }),
  logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error },
});
const target = join(buildDir, 'workflow-bundle.js');
writeFileSync(`${target}.partial`, code);
renameSync(`${target}.partial`, target);
