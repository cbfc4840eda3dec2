import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { Etcd3 } from 'etcd3';
import { Registry } from 'prom-client';
import { connectEtcdWith } from '#etcd';
import { RemediationClient } from '#temporal';
import { AuditController } from './audit/audit.controller.js';
import { FleetPageController } from './fleet-page/fleet-page.controller.js';
import { FlagsController } from './flags/flags.controller.js';
import { StormController } from './storm/storm.controller.js';
import { GatewaysController } from './gateways/gateways.controller.js';
import { FleetView } from './gateways/fleet-view.js';
import { KnownGateways } from './gateways/known-gateways.js';
import { VitalsHistory } from './gateways/vitals-history.js';
import { RoleGuard } from './auth/role.guard.js';
import { HealthController } from './health/health.controller.js';
import { apiRegistry } from './metrics/api-registry.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { PoliciesController } from './policies/policies.controller.js';
import { PoliciesService } from './policies/policies.service.js';
import { RemediationsController } from './remediations/remediations.controller.js';
import { RemediationsService } from './remediations/remediations.service.js';
import { SchedulesController } from './schedules/schedules.controller.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { API_SETTINGS, type ApiSettings } from './settings.js';

const APP_CONTROLLERS = [FleetPageController, RemediationsController, GatewaysController, HealthController, MetricsController, PoliciesController, FlagsController, StormController, AuditController];

/** Every controller of the API, the schedules module's included: what the OpenAPI document describes. */
export const API_CONTROLLERS = [...APP_CONTROLLERS, SchedulesController];

/** Wiring only: settings are validated before this module is built. */
@Module({})
export class AppModule {
  static forSettings(settings: ApiSettings, temporal: Connection): DynamicModule {
    return {
      module: AppModule,
      imports: [SchedulesModule.forConnection(temporal, settings.TEMPORAL_NAMESPACE)],
      controllers: APP_CONTROLLERS,
      providers: [
        { provide: API_SETTINGS, useValue: settings },
        { provide: Etcd3, useFactory: () => connectEtcdWith(settings, { callTimeoutMs: settings.API_ETCD_TIMEOUT_MS, failFast: true }) },
        { provide: APP_GUARD, useClass: RoleGuard },
        { provide: Connection, useValue: temporal },
        {
          provide: Registry,
          inject: [Etcd3],
          useFactory: (etcd: Etcd3) => apiRegistry(etcd, new Client({ connection: temporal, namespace: settings.TEMPORAL_NAMESPACE })),
        },
        {
          provide: RemediationClient,
          useFactory: () =>
            new RemediationClient(
              new Client({ connection: temporal, namespace: settings.TEMPORAL_NAMESPACE, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } }),
            ),
        },
        KnownGateways,
        VitalsHistory,
        FleetView,
        RemediationsService,
        PoliciesService,
      ],
    };
  }
}
