import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { type Response } from 'express';
import { SweepSchedules } from '#temporal';
import { ScheduleIdParam } from '../path-params.js';
import { CreateScheduleBody } from './schedule-requests.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { ScheduleChanged, ScheduleDeleted, ScheduleEnsured, ScheduleList, ScheduleTriggered } from './schedule-responses.js';

/** Temporal Schedules that run the health sweep. */
@Controller('v1/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SweepSchedules) {}

  @Get()
  @ApiDoc({ summary: 'Health-sweep Temporal Schedules', response: ScheduleList })
  async list() {
    return { schedules: await this.schedules.list() };
  }

  /** 201 when created; 200 when a sweep schedule with that id existed and was brought to this request. */
  @Post()
  @ApiDoc({ summary: 'Create a health-sweep schedule', responses: { 200: 'A sweep schedule with that id existed: brought to this interval (`created: false`)', 409: 'The id belongs to a schedule that is not a health sweep' }, response: ScheduleEnsured })
  async create(@Body({ schema: CreateScheduleBody }) body: CreateScheduleBody, @Res({ passthrough: true }) res: Response) {
    const result = await this.schedules.ensure(body);
    res.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
    return result;
  }

  @Post(':id/pause')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({ summary: 'Pause a schedule', response: ScheduleChanged })
  async pause(@Param('id', { schema: ScheduleIdParam }) id: string) {
    return { schedule: await this.schedules.pause(id) };
  }

  @Post(':id/unpause')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({ summary: 'Resume a paused schedule', response: ScheduleChanged })
  async unpause(@Param('id', { schema: ScheduleIdParam }) id: string) {
    return { schedule: await this.schedules.unpause(id) };
  }

  /** Runs a sweep now; 202 because it runs on Temporal after this answer. */
  @Post(':id/trigger')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiDoc({ summary: 'Run a schedule now', response: ScheduleTriggered })
  async trigger(@Param('id', { schema: ScheduleIdParam }) id: string) {
    await this.schedules.trigger(id);
    return { id, triggered: true };
  }

  @Delete(':id')
  @ApiDoc({ summary: 'Delete a schedule', response: ScheduleDeleted })
  async delete(@Param('id', { schema: ScheduleIdParam }) id: string) {
    await this.schedules.delete(id);
    return { id, deleted: true };
  }
}
