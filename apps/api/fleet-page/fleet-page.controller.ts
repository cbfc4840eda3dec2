import { Controller, Get, Header, Inject, Sse } from '@nestjs/common';
import { Connection } from '@temporalio/client';
import { type Observable, catchError, from, interval, map, of, startWith, switchMap } from 'rxjs';
import { FleetView } from '../gateways/fleet-view.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { API_SETTINGS, type ApiSettings } from '../settings.js';
import { FLEET_PAGE_HTML } from './fleet-page.html.js';

/** How often the live fleet stream sends a fresh snapshot. */
const FLEET_EVENTS_EVERY_MS = 1_000;

/**
 * The live fleet page: the page itself needs no token (it holds no data); it asks
 * for one, keeps it in sessionStorage and reads `/v1/fleet/events` (viewer) with it.
 */
@Controller()
export class FleetPageController {
  constructor(
    private readonly fleet: FleetView,
    @Inject(Connection) private readonly temporal: Connection,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiDoc({ summary: 'The live fleet page (HTML; asks for a viewer token, then reads /v1/fleet/events)', produces: 'text/html' })
  page(): string {
    return FLEET_PAGE_HTML;
  }

  @Sse('v1/fleet/events')
  @ApiDoc({ summary: 'Server-sent events: a `fleet` snapshot ({gateways} as in GET /v1/gateways) every second', produces: 'text/event-stream' })
  events(): Observable<{ type: string; data: unknown }> {
    return interval(FLEET_EVENTS_EVERY_MS).pipe(
      startWith(0),
      // A failed read (etcd or Temporal away) is one `problem` event; the stream goes on.
      switchMap(() =>
        // Each snapshot gets the deadline a request would: with Temporal away, a `problem` event, not a stalled stream.
        from(this.temporal.withDeadline(Date.now() + this.settings.API_TEMPORAL_TIMEOUT_MS, () => this.fleet.list())).pipe(
          map((gateways) => ({ type: 'fleet', data: { at: Date.now(), gateways } })),
          catchError((error: unknown) => of({ type: 'problem', data: { detail: error instanceof Error ? error.message : String(error) } })),
        ),
      ),
    );
  }
}
