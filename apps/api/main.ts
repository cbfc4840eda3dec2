import 'reflect-metadata';
import { type Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { Etcd3 } from 'etcd3';
import { Authenticator } from '#auth';
import { parseSettings } from '#core';
import { PinoNestLogger, READY_EVENT, createLogger, runProcess, startTracing } from '#runtime';
import { temporalConnectionOptions } from '#temporal';
import { AppModule } from './app.module.js';
import { authenticationMiddleware } from './auth/authentication.middleware.js';
import { TemporalDeadlineInterceptor } from './dependencies/temporal-deadline.interceptor.js';
import { answerClientError } from './problems/client-error.js';
import { ProblemDetailsFilter } from './problems/problem-details.filter.js';
import { ProblemValidationPipe } from './problems/problem-validation.pipe.js';
import { methodNotAllowed } from './openapi/method-not-allowed.js';
import { apiDocument, serveOpenApi } from './openapi/serve-openapi.js';
import { ApiSettingsSchema } from './settings.js';
import { requestSpans } from './tracing/request-spans.js';

const log = createLogger('api');

await runProcess(log, async () => {
  const settings = parseSettings(ApiSettingsSchema, process.env);
  const tracing = startTracing('api');
  const authenticator = await Authenticator.fromSettings(settings, log);
  // Few, short retries (≈0.5 s of back-off in all): the client's default keeps retrying past any deadline we set.
  const temporal = await Connection.connect({
    ...temporalConnectionOptions(settings),
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3 }))],
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forSettings(settings, temporal), { logger: new PinoNestLogger(log), bodyParser: false });
  const document = apiDocument('0.1.0');
  // Order matters: trace every request (refused ones too), authenticate, refuse unserved methods, then parse (bounded) bodies, then route.
  app.use(requestSpans);
  app.use(authenticationMiddleware(authenticator));
  app.use(methodNotAllowed(document));
  app.useBodyParser('json', { limit: settings.API_BODY_LIMIT_BYTES });
  app.useGlobalPipes(new ProblemValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(log));
  app.useGlobalInterceptors(new TemporalDeadlineInterceptor(temporal, settings.API_TEMPORAL_TIMEOUT_MS));
  serveOpenApi(app, document);
  (app.getHttpServer() as Server).on('clientError', answerClientError);
  await app.listen(settings.API_PORT, settings.API_HOST);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  log.info({ event: READY_EVENT, url }, 'api ready');
  return async () => {
    authenticator.close();
    app.get(Etcd3).close();
    await app.close();
    await temporal.close();
    await tracing.shutdown();
  };
});
