import { type DynamicModule, Module } from '@nestjs/common';
import { Client, type Connection } from '@temporalio/client';
import { SweepSchedules } from '#temporal';
import { SchedulesController } from './schedules.controller.js';

/** The sweep-schedule endpoints, wired to the API's Temporal connection. */
@Module({})
export class SchedulesModule {
  static forConnection(temporal: Connection, namespace: string): DynamicModule {
    return {
      module: SchedulesModule,
      controllers: [SchedulesController],
      providers: [{ provide: SweepSchedules, useFactory: () => new SweepSchedules(new Client({ connection: temporal, namespace })) }],
    };
  }
}
