import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { type Identity, PolicySchema } from '#core';
import { Caller } from '../auth/caller.decorator.js';
import { PoliciesService } from './policies.service.js';
import { PolicyVersionParam } from '../path-params.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { RequiresRole } from '../auth/requires-role.decorator.js';
import { SimulateBody } from './simulation-request.js';
import { CurrentPolicy, PublishedPolicy, SimulationAnswer, ValidPolicy } from './policy-responses.js';

/**
 * `GET` the policy in force, `PUT` a new one (stored as the next version and made current,
 * which detectors apply live), `POST /validate` to check one without storing it, and
 * `POST /simulate` to replay the recorded timelines under one (docs/policy-lab.md).
 */
@Controller('v1/policies')
export class PoliciesController {
  constructor(private readonly service: PoliciesService) {}

  @Get()
  @ApiDoc({ summary: 'The current policy, where it comes from (stored or default) and who published it', response: CurrentPolicy })
  current() {
    return this.service.current();
  }

  /**
   * The body is the policy; any `version` in it is replaced by the one the store assigns.
   * The caller, as authenticated, is recorded as `publishedBy` and in the audit trail.
   */
  @Put()
  @ApiDoc({
    summary: 'Store a new policy version and make it current; records who did it',
    description: 'With `lab.requireSimulation`, an enforcing policy is first simulated over the last `lookbackHours`; removing more than `maxRemovals` gateways stores it in shadow mode, with the reason in `lab.shadowReason` and `gate`.',
    body: PolicySchema.partial({ version: true }),
    responses: { 409: 'Another version was published meanwhile' },
    response: PublishedPolicy,
  })
  publish(@Body() body: unknown, @Caller() caller: Identity) {
    return this.service.publish(body, caller);
  }

  @Post('validate')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({ summary: 'Check a policy without storing it', body: PolicySchema.partial({ version: true }), response: ValidPolicy })
  validate(@Body() body: unknown) {
    return this.service.validate(body);
  }

  /** Read-only, yet it reads every gateway's timeline of the window: an operator's tool, not every viewer's. */
  @Post('simulate')
  @RequiresRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Replay the recorded timelines under a candidate policy: per incident what happened, what it would have decided, and the difference',
    responses: { 409: 'The timelines name a policy version that is not stored' },
    response: SimulationAnswer,
  })
  simulate(@Body({ schema: SimulateBody }) body: SimulateBody) {
    return this.service.simulate(body);
  }

  @Get(':version')
  @ApiDoc({ summary: 'One stored policy version', response: PolicySchema })
  get(@Param('version', { schema: PolicyVersionParam }) version: number) {
    return this.service.get(version);
  }
}
