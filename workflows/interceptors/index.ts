import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import { type WorkflowInterceptorsFactory, proxySinks, workflowInfo } from '@temporalio/workflow';
import { type RunSinks } from './run-sinks.js';

const { runs } = proxySinks<RunSinks>();

/**
 * Workflow interceptors the worker bundles with the workflows: OpenTelemetry
 * (a span per run continuing the starter's trace, child spans for activities and
 * child workflows, exported through the worker's `exporter` sink), and every run
 * that returns tells the worker (for metrics) what it returned.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    new OpenTelemetryInboundInterceptor(),
    {
      async execute(input, next) {
        const result = await next(input);
        runs.finished(workflowInfo().workflowType, result);
        return result;
      },
    },
  ],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
