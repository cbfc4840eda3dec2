import { Controller, Get, Query } from '@nestjs/common';
import { Etcd3 } from 'etcd3';
import { AuditLog } from '#etcd';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { AuditQuery } from './audit-requests.js';
import { AuditPage } from './audit-responses.js';

/** The audit trail: who published which policy and flipped which switch, as authenticated. */
@Controller('v1/audit')
export class AuditController {
  private readonly log: AuditLog;

  constructor(etcd: Etcd3) {
    this.log = new AuditLog(etcd);
  }

  @Get()
  @ApiDoc({ summary: 'Changes made through the API (policies, flags), newest first, with who made them', response: AuditPage })
  async recent(@Query({ schema: AuditQuery }) query: AuditQuery) {
    return { changes: await this.log.recent(query.limit) };
  }
}
