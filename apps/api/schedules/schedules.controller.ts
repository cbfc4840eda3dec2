import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { type Response } from 'express';
import { SweepSchedules } from '#temporal';
import { ScheduleIdParam } from '../path-params.js';
import { CreateScheduleBody } from './schedule-requests.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

/** Temporal Schedules that run the health sweep. */
@Controller('v1/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SweepSchedules) {}

  @Get()
  @ApiDoc({ summary: 'Health-sweep Temporal Schedules' })
  async list() {
    return { schedules: await this.schedules.list() };
  }

  /** 201 when created; 200 when a sweep schedule with that id existed and was brought to this request. */
  @Post()
  @ApiDoc({ summary: 'Create a health-sweep schedule', responses: { 409: 'A schedule with that id exists' } })
  async create(@Body({ schema: CreateScheduleBody }) body: CreateScheduleBody, @Res({ passthrough: true }) res: Response) {
    const result = await this.schedules.ensure(body);
    res.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
    return result;
  }

  @Post(':id/pause')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({ summary: 'Pause a schedule' })
  async pause(@Param('id', { schema: ScheduleIdParam }) id: string) {
    return { schedule: await this.schedules.pause(id) };
  }

  @Post(':id/unpause')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({ summary: 'Resume a paused schedule' })
  async unpause(@Param('id', { schema: ScheduleIdParam }) id: string) {
    return { schedule: await this.schedules.unpause(id) };
  }

  /** Runs a sweep now; 202 because it runs on Temporal after this answer. */
  @Post(':id/trigger')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiDoc({ summary: 'Run a schedule now' })
  async trigger(@Param('id', { schema: ScheduleIdParam }) id: string) {
    await this.schedules.trigger(id);
    return { id, triggered: true };
  }

  @Delete(':id')
  @ApiDoc({ summary: 'Delete a schedule' })
  async delete(@Param('id', { schema: ScheduleIdParam }) id: string) {
    await this.schedules.delete(id);
    return { id, deleted: true };
  }
}
