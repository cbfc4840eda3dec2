import { type WorkflowInterceptorsFactory, proxySinks, workflowInfo } from '@temporalio/workflow';
import { type RunSinks } from './run-sinks.js';

const { runs } = proxySinks<RunSinks>();

/**
 * Workflow interceptors the worker bundles with the workflows: every run that
 * returns tells the worker (for metrics) what it returned.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        const result = await next(input);
        runs.finished(workflowInfo().workflowType, result);
        return result;
      },
    },
  ],
});
