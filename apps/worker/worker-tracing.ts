import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import { type WorkerInterceptors } from '@temporalio/worker';
import { type Tracing } from '#runtime';

/**
 * Temporal's OpenTelemetry interceptors on the worker side: a span per activity
 * (its context active, so the agent control client carries it to the gateway),
 * and the workflow spans that the bundled workflow interceptors hand out through
 * the `exporter` sink. With tracing off the sink drops them.
 */
export const tracingInterceptors = (): NonNullable<WorkerInterceptors['activity']>[number] => (context) => ({
  inbound: new OpenTelemetryActivityInboundInterceptor(context),
  outbound: new OpenTelemetryActivityOutboundInterceptor(context),
});

export const workflowSpanSink = (tracing: Tracing) => ({ exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) });

/** Client calls (starting remediations from the fleet watcher) start a trace that the workflow continues. */
export const tracingClientInterceptors = () => ({ workflow: [new OpenTelemetryWorkflowClientInterceptor()] });
