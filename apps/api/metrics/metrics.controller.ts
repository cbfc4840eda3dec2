import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

/** Prometheus scrape endpoint: the API process's metrics and the fleet gauges. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(Registry) private readonly registry: Registry) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiDoc({ summary: 'Prometheus metrics (text exposition format)', produces: 'text/plain' })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
