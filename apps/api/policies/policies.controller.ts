import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { PoliciesService } from './policies.service.js';
import { PolicyVersionParam } from '../path-params.js';

/**
 * `GET` the policy in force, `PUT` a new one (stored as the next version and made current,
 * which detectors apply live), `POST /validate` to check one without storing it.
 */
@Controller('v1/policies')
export class PoliciesController {
  constructor(private readonly service: PoliciesService) {}

  @Get()
  current() {
    return this.service.current();
  }

  /** The body is the policy; any `version` in it is replaced by the one the store assigns. */
  @Put()
  publish(@Body() body: unknown) {
    return this.service.publish(body);
  }

  @Post('validate')
  @HttpCode(HttpStatus.OK)
  validate(@Body() body: unknown) {
    return this.service.validate(body);
  }

  @Get(':version')
  get(@Param('version', { schema: PolicyVersionParam }) version: number) {
    return this.service.get(version);
  }
}
