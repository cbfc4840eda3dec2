import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  readonly enabled: boolean;
  readonly resource: Resource;
  /** Where spans go: the OTLP exporter when enabled, nowhere otherwise (the worker's workflow-span sink uses it). */
  readonly spanProcessor: SpanProcessor;
  /** Flushes what is still buffered. */
  shutdown(): Promise<void>;
}

/**
 * Off by default. On when the standard variables ask for it: OTEL_TRACES_EXPORTER=otlp,
 * or an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none wins.
 */
export const tracingRequested = (env: NodeJS.ProcessEnv): boolean => {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return env.OTEL_TRACES_EXPORTER === 'otlp' || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT) || Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
};

/**
 * Installs the process's tracer provider when tracing is requested: the OTLP/HTTP
 * exporter (configured by the OTEL_* variables, e.g. OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_BSP_SCHEDULE_DELAY), W3C trace-context propagation and async-context
 * tracking. When it is not, nothing is installed and every span is a no-op.
 */
export const startTracing = (process: string, env: NodeJS.ProcessEnv = globalThis.process.env): Tracing => {
  const resource = new Resource({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? `homeostat-${process}` });
  if (!tracingRequested(env)) return { enabled: false, resource, spanProcessor: new NoopSpanProcessor(), shutdown: async () => undefined };
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { enabled: true, resource, spanProcessor, shutdown: () => provider.shutdown() };
};
