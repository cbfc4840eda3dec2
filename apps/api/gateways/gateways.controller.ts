import { Body, Controller, HttpStatus, Inject, Param, Post, Res } from '@nestjs/common';
import { type Response } from 'express';
import { z } from 'zod';
import { type Identity } from '#core';
import { RemediationClient, temporalUiRunLink } from '#temporal';
import { Caller } from '../auth/caller.decorator.js';
import { RequiresRole } from '../auth/requires-role.decorator.js';
import { GatewayIdParam } from '../path-params.js';
import { API_SETTINGS, type ApiSettings } from '../settings.js';
import { KnownGateways } from './known-gateways.js';

const RestoreBody = z.object({ reason: z.string().trim().min(1, 'reason must not be empty').max(500) }).strict();
const RebalanceBody = z
  .object({
    reason: z.string().trim().min(1, 'reason must not be empty').max(500),
    tolerance: z.number().gt(0, 'tolerance must be above 0').lt(1, 'tolerance must be below 1').optional(),
  })
  .strict();

/** Restores (probation → serving) and fleet rebalances: runs like remediations, with UI links. */
@Controller('v1')
export class GatewaysController {
  constructor(
    private readonly remediations: RemediationClient,
    private readonly known: KnownGateways,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  @Post('gateways/:gatewayId/restore')
  @RequiresRole('operator')
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
  async rebalance(@Body({ schema: RebalanceBody }) body: z.infer<typeof RebalanceBody>, @Caller() caller: Identity) {
    return this.withLink(await this.remediations.startRebalance(body.reason, body.tolerance, caller.name));
  }

  private withLink<T extends { workflowId: string; runId: string }>(run: T) {
    return { ...run, links: { temporalUi: temporalUiRunLink(this.settings.TEMPORAL_UI_URL, this.settings.TEMPORAL_NAMESPACE, run.workflowId, run.runId) } };
  }
}
