import { Body, Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { ListRemediationsQuery, StartRemediationBody } from './remediation-requests.js';
import { RemediationsService } from './remediations.service.js';

@Controller('v1/remediations')
export class RemediationsController {
  constructor(private readonly service: RemediationsService) {}

  /** 201 when a run starts; 200 when an open run for the gateway already exists and is joined. */
  @Post()
  async start(@Body({ schema: StartRemediationBody }) body: StartRemediationBody, @Res({ passthrough: true }) res: Response) {
    const run = await this.service.start(body);
    res.status(run.joined ? HttpStatus.OK : HttpStatus.CREATED);
    return run;
  }

  @Get()
  async list(@Query({ schema: ListRemediationsQuery }) query: { limit: number }) {
    return { runs: await this.service.list(query.limit) };
  }

  @Get(':workflowId')
  get(@Param('workflowId') workflowId: string) {
    return this.service.get(workflowId);
  }
}
