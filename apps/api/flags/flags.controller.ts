import { Body, Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
import { Etcd3 } from 'etcd3';
import { type Identity, changeAuthor } from '#core';
import { FlagStore } from '#etcd';
import { Caller } from '../auth/caller.decorator.js';
import { FlagNameParam, SetFlagBody } from './flag-requests.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { FlagList, NamedFlag } from './flag-responses.js';

/** Degrade switches: processes watch `/homeostat/flags/<name>` and change behaviour live. */
@Controller('v1/flags')
export class FlagsController {
  private readonly store: FlagStore;

  constructor(etcd: Etcd3) {
    this.store = new FlagStore(etcd);
  }

  @Get()
  @ApiDoc({ summary: 'Every degrade flag and whether it is on', response: FlagList })
  async list() {
    return { flags: await this.store.list() };
  }

  /** 404 for a flag never set: an unset switch is off, and the answer says it was never touched. */
  @Get(':name')
  @ApiDoc({ summary: 'One degrade flag', response: NamedFlag })
  async get(@Param('name', { schema: FlagNameParam }) name: string) {
    const flag = await this.store.get(name);
    if (!flag) throw new NotFoundException(`flag ${name} has never been set (an unset flag is off)`);
    return flag;
  }

  /** The caller, as authenticated, is recorded as `updatedBy` and in the audit trail (`GET /v1/audit`). */
  @Put(':name')
  @ApiDoc({ summary: 'Turn a degrade flag on or off; records who did it', response: NamedFlag })
  set(@Param('name', { schema: FlagNameParam }) name: string, @Body({ schema: SetFlagBody }) body: SetFlagBody, @Caller() caller: Identity) {
    return this.store.set(name, body, changeAuthor(caller, Date.now()));
  }
}
