import { Body, ConflictException, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Etcd3 } from 'etcd3';
import { type Identity, type StormLift, type StormState, changeAuthor, stormWorkflowId } from '#core';
import { StormStore } from '#etcd';
import { Caller } from '../auth/caller.decorator.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { LiftStormBody } from './storm-requests.js';
import { LiftedStorm, StormView } from './storm-responses.js';

const viewOf = (storm: StormState) => ({ ...storm, since: new Date(storm.sinceMs).toISOString(), workflowId: stormWorkflowId(storm.sinceMs) });
const liftOf = (lift: StormLift) => ({ ...lift, at: new Date(lift.atMs).toISOString() });

/**
 * Storm mode (`guardrails.storm` in the policy): while more of the fleet or of a zone turned
 * suspect at once than the policy allows, automatic removals pause. It lifts by itself after the
 * quiet period; an admin who knows the cause is gone lifts it here.
 */
@Controller('v1/storm')
export class StormController {
  private readonly store: StormStore;

  constructor(etcd: Etcd3) {
    this.store = new StormStore(etcd);
  }

  @Get()
  @ApiDoc({ summary: 'The storm on now (automatic removals paused), if any, and the last lift', response: StormView })
  async get() {
    const { storm, lift } = await this.store.read();
    return { storm: storm ? viewOf(storm) : null, lastLift: lift ? liftOf(lift) : null };
  }

  /** Admin only (a POST). Suspects from before the lift do not begin a storm again; new ones may. */
  @Post('lift')
  @HttpCode(200)
  @ApiDoc({ summary: 'Lift the storm now: automatic removals resume; recorded in the audit trail', response: LiftedStorm, responses: { 409: 'no storm is on' } })
  async lift(@Body({ schema: LiftStormBody }) body: LiftStormBody, @Caller() caller: Identity) {
    const author = changeAuthor(caller, Date.now());
    const lift: StormLift = { atMs: author.at, by: author.by, reason: body.reason };
    const lifted = await this.store.lift(lift, undefined, author);
    if (!lifted) throw new ConflictException('no storm is on: nothing to lift');
    return { lifted: viewOf(lifted), lift: liftOf(lift) };
  }
}
