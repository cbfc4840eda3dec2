import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Connection } from '@temporalio/client';
import { Etcd3 } from 'etcd3';
import { type Response } from 'express';
import { checkReadiness, etcdCheck, notReadyProblem, temporalCheck } from '#runtime';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { Liveness, Readiness } from './health-responses.js';

@Controller()
export class HealthController {
  constructor(
    @Inject(Etcd3) private readonly etcd: Etcd3,
    @Inject(Connection) private readonly temporal: Connection,
  ) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  @ApiDoc({ summary: 'Liveness: the process answers', response: Liveness })
  health() {
    return { status: 'ok' };
  }

  /** Readiness: etcd and Temporal answer; else 503 problem+json naming what is down. */
  @Get('readyz')
  @ApiDoc({ summary: 'Readiness: etcd and Temporal answer (503 problem+json naming what is down)', response: Readiness })
  async ready(@Res() res: Response): Promise<void> {
    const readiness = await checkReadiness([etcdCheck(this.etcd), temporalCheck(this.temporal)]);
    if (readiness.ready) res.status(200).json({ status: 'ready', checks: readiness.checks });
    else res.status(503).type('application/problem+json').send(JSON.stringify(notReadyProblem(readiness)));
  }
}
