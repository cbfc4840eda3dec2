import 'reflect-metadata';
import { StandardSchemaValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Connection } from '@temporalio/client';
import { Etcd3 } from 'etcd3';
import { parseSettings } from '#core';
import { PinoNestLogger, READY_EVENT, createLogger, runProcess } from '#runtime';
import { AppModule } from './app.module.js';
import { DomainErrorFilter } from './domain-error.filter.js';
import { ApiSettingsSchema } from './settings.js';

const log = createLogger('api');

await runProcess(log, async () => {
  const settings = parseSettings(ApiSettingsSchema, process.env);
  const temporal = await Connection.connect({ address: settings.TEMPORAL_ADDRESS });
  const app = await NestFactory.create(AppModule.forSettings(settings, temporal), { logger: new PinoNestLogger(log) });
  app.useGlobalPipes(new StandardSchemaValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  await app.listen(settings.API_PORT, settings.API_HOST);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  log.info({ event: READY_EVENT, url }, 'api ready');
  return async () => {
    app.get(Etcd3).close();
    await app.close();
    await temporal.close();
  };
});
