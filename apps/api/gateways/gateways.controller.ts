import { Body, Controller, Get, HttpStatus, Inject, Param, Post, Res } from '@nestjs/common';
import { type Response } from 'express';
import { z } from 'zod';
import { type Identity } from '#core';
import { RemediationClient, temporalUiRunLink } from '#temporal';
import { Caller } from '../auth/caller.decorator.js';
import { RequiresRole } from '../auth/requires-role.decorator.js';
import { GatewayIdParam } from '../path-params.js';
import { API_SETTINGS, type ApiSettings } from '../settings.js';
import { FleetView } from './fleet-view.js';
import { KnownGateways } from './known-gateways.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { GatewayList, GatewayView } from './gateway-responses.js';
import { RunStarted } from '../remediations/remediation-responses.js';
import { nonBlankText } from '../request-fields.js';

const RestoreBody = z.object({ reason: nonBlankText('reason', 500) }).strict();
const RebalanceBody = z
  .object({
    reason: nonBlankText('reason', 500),
    tolerance: z.number().gt(0, 'tolerance must be above 0').lt(1, 'tolerance must be below 1').optional(),
  })
  .strict();

/** The fleet as it is (state, health, sessions, vitals, findings, runs); restores and rebalances, runs like remediations, with UI links. */
@Controller('v1')
export class GatewaysController {
  constructor(
    private readonly remediations: RemediationClient,
    private readonly known: KnownGateways,
    private readonly fleet: FleetView,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  @Get('gateways')
  @ApiDoc({ summary: 'Every gateway: state, health score with its signals, sessions, vitals of the last minutes, detector finding, open and recent runs', response: GatewayList })
  async list() {
    return { gateways: await this.fleet.list() };
  }

  @Get('gateways/:gatewayId')
  @ApiDoc({ summary: 'One gateway, as in the list', response: GatewayView })
  get(@Param('gatewayId', { schema: GatewayIdParam }) gatewayId: string) {
    return this.fleet.get(gatewayId);
  }

  @Post('gateways/:gatewayId/restore')
  @RequiresRole('operator')
  @ApiDoc({ summary: 'Restore a gateway: probation, then serving, then a paced rebalance', responses: { 200: 'A restore for that gateway was already open: joined' }, response: RunStarted })
  async restore(
    @Param('gatewayId', { schema: GatewayIdParam }) gatewayId: string,
    @Body({ schema: RestoreBody }) body: z.infer<typeof RestoreBody>,
    @Caller() caller: Identity,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.known.assertKnown(gatewayId);
    const run = await this.remediations.startRestore(gatewayId, body.reason, caller.name);
    res.status(run.joined ? HttpStatus.OK : HttpStatus.CREATED);
    return this.withLink(run);
  }

  @Post('rebalances')
  @RequiresRole('operator')
  @ApiDoc({ summary: 'Even connections across serving gateways', response: RunStarted })
  async rebalance(@Body({ schema: RebalanceBody }) body: z.infer<typeof RebalanceBody>, @Caller() caller: Identity) {
    return this.withLink(await this.remediations.startRebalance(body.reason, body.tolerance, caller.name));
  }

  private withLink<T extends { workflowId: string; runId: string }>(run: T) {
    return { ...run, links: { temporalUi: temporalUiRunLink(this.settings.TEMPORAL_UI_URL, this.settings.TEMPORAL_NAMESPACE, run.workflowId, run.runId) } };
  }
}
