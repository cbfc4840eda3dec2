import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { type Identity } from '#core';
import { Caller } from '../auth/caller.decorator.js';
import { RequiresRole } from '../auth/requires-role.decorator.js';
import { RunIdParam, WorkflowIdParam } from '../path-params.js';
import { DecisionBody, ListRemediationsQuery, RunsQuery, StartRemediationBody } from './remediation-requests.js';
import { RemediationsService } from './remediations.service.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { CancelRequested, DecisionAccepted, RunPage, RunReport, RunStarted, WorkflowRuns } from './remediation-responses.js';

@Controller('v1/remediations')
export class RemediationsController {
  constructor(private readonly service: RemediationsService) {}

  /** 201 when a run starts; 200 when an open run for the gateway already exists and is joined. */
  @Post()
  @RequiresRole('operator')
  @ApiDoc({ summary: 'Start a remediation of a gateway (or join the open one)', responses: { 200: 'A run for that gateway was already open: joined (`joined: true`)', 404: 'No such gateway: neither registered nor with a recorded state' }, response: RunStarted })
  async start(@Body({ schema: StartRemediationBody }) body: StartRemediationBody, @Caller() caller: Identity, @Res({ passthrough: true }) res: Response) {
    const run = await this.service.start(body, caller);
    res.status(run.joined ? HttpStatus.OK : HttpStatus.CREATED);
    return run;
  }

  @Get()
  @ApiDoc({ summary: 'List remediation runs from Temporal visibility, newest first, filtered by search attributes', response: RunPage })
  list(@Query({ schema: ListRemediationsQuery }) query: ListRemediationsQuery) {
    return this.service.list(query);
  }

  @Get(':workflowId')
  @ApiDoc({ summary: "A run's report: trigger, evidence, decision path, guardrails, steps, sessions moved, outcome", response: RunReport })
  get(@Param('workflowId', { schema: WorkflowIdParam }) workflowId: string) {
    return this.service.get(workflowId);
  }

  /** Every run that had this workflow id (e.g. each remediation of one gateway), newest first. */
  @Get(':workflowId/runs')
  @ApiDoc({ summary: 'Every run that had this workflow id, newest first', response: WorkflowRuns })
  runs(@Param('workflowId', { schema: WorkflowIdParam }) workflowId: string, @Query({ schema: RunsQuery }) query: RunsQuery) {
    return this.service.runs(workflowId, query);
  }

  /** One run's report, open or closed; `reportSource` says whether it came from the result, a query, or nowhere. */
  @Get(':workflowId/runs/:runId')
  @ApiDoc({ summary: "One run's report, open or closed", response: RunReport })
  run(@Param('workflowId', { schema: WorkflowIdParam }) workflowId: string, @Param('runId', { schema: RunIdParam }) runId: string) {
    return this.service.run(workflowId, runId);
  }

  @Post(':workflowId/approve')
  @RequiresRole('operator')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiDoc({ summary: 'Approve a run waiting for approval', responses: { 409: 'The run is not waiting for approval, already answered, or closed' }, response: DecisionAccepted })
  async approve(@Param('workflowId', { schema: WorkflowIdParam }) workflowId: string, @Body({ schema: DecisionBody }) body: DecisionBody, @Caller() caller: Identity) {
    await this.service.approve(workflowId, { by: caller.name, ...(body.comment === undefined ? {} : { comment: body.comment }) });
    return { workflowId, signal: 'approve' };
  }

  @Post(':workflowId/reject')
  @RequiresRole('operator')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiDoc({ summary: 'Reject a run waiting for approval', responses: { 409: 'The run is not waiting for approval, already answered, or closed' }, response: DecisionAccepted })
  async reject(@Param('workflowId', { schema: WorkflowIdParam }) workflowId: string, @Body({ schema: DecisionBody }) body: DecisionBody, @Caller() caller: Identity) {
    await this.service.reject(workflowId, { by: caller.name, ...(body.comment === undefined ? {} : { comment: body.comment }) });
    return { workflowId, signal: 'reject' };
  }

  @Post(':workflowId/cancel')
  @RequiresRole('operator')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiDoc({ summary: 'Cancel an open run (it records `cancelled`)', responses: { 409: 'The run has already ended' }, response: CancelRequested })
  async cancel(@Param('workflowId', { schema: WorkflowIdParam }) workflowId: string) {
    await this.service.cancel(workflowId);
    return { workflowId, cancelRequested: true };
  }
}
