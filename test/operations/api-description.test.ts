import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type PushClient } from '#client';
import { Fleet, waitUntil } from '#devstack';
import { connectClients } from '../support/clients.js';
import { as, call } from '../support/http.js';

/** The routes Nest itself says it mapped (its RouterExplorer log lines), as `METHOD /path/{param}`. */
const mappedRoutes = (log: string): string[] =>
  [...log.matchAll(/Mapped \{([^,}]+), (\w+)\} route/g)].map(([, path, method]) => `${method} ${path!.replace(/:(\w+)/g, '{$1}')}`).sort();

describe('API description and fleet view', () => {
  let fleet: Fleet;
  let clients: PushClient[];

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 2, worker: false, api: true, useExisting: false });
    clients = await connectClients(4, fleet.gatewayAddresses, ['ticker'], 'fleet-view-client');
  });

  afterAll(async () => {
    clients?.forEach((c) => c.stop());
    await fleet?.stop();
  });

  it('should describe every route Nest mapped in the OpenAPI document, and nothing else', async () => {
    const response = await fetch(`${fleet.api!.url}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const routes = mappedRoutes(readFileSync(fleet.api!.app.process.options.logFile!, 'utf8'));
    expect(routes.length).toBeGreaterThan(20);
    expect(documented).toEqual(routes);
    // Every operation documents its errors as problem+json, and what a success answers: a JSON schema with its fields, or a media type.
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.responses['500']).toMatchObject({ content: { 'application/problem+json': expect.any(Object) } });
        const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'))![1] as { content: Record<string, { schema: Record<string, unknown> }> };
        const json = success.content['application/json'];
        expect({ route: `${method} ${path}`, documented: json ? Object.keys(json.schema).some((k) => k === 'properties' || k === 'anyOf') : Object.keys(success.content)[0]!.startsWith('text/') }).toEqual({
          route: `${method} ${path}`,
          documented: true,
        });
      }
    }
  });

  it('should answer a method a path does not serve with 405 and Allow', async () => {
    const response = await call(fleet.api!, 'DELETE', '/v1/gateways');
    expect(response).toMatchObject({ status: 405, body: { type: 'urn:homeostat:problem:method-not-allowed', status: 405 } });
    const patched = await fetch(`${fleet.api!.url}/v1/flags`, { method: 'PATCH', headers: { authorization: `Bearer ${fleet.api!.token}` } });
    expect({ status: patched.status, allow: patched.headers.get('allow') }).toEqual({ status: 405, allow: 'GET, HEAD' });
  });

  it('should document request bodies and parameters from the zod schemas that validate them', async () => {
    const document = (await (await fetch(`${fleet.api!.url}/openapi.json`)).json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const start = document.paths['/v1/remediations'].post;
    expect(start.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['gatewayId', 'reason'],
      additionalProperties: false,
      properties: { reason: { type: 'string', maxLength: 500 } },
    });
    expect(start.responses['401'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    const list = document.paths['/v1/remediations'].get;
    expect(list.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['query:gatewayId', 'query:outcome', 'query:pageSize']),
    );
    expect(document.paths['/v1/gateways/{gatewayId}'].get.parameters[0]).toMatchObject({ in: 'path', name: 'gatewayId', schema: { pattern: expect.any(String) } });
    expect(document.paths['/healthz'].get.security).toEqual([]);
  });

  it('should serve a browsable page at /docs from local assets', async () => {
    const page = await fetch(`${fleet.api!.url}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.js/);
    const bundle = /src="\.?\/?([^"]*swagger-ui-bundle\.js)"/.exec(html)?.[1];
    expect(bundle).toBeDefined();
    expect((await fetch(`${fleet.api!.url}/docs/${bundle!.replace(/^docs\//, '')}`)).status).toBe(200);
  });

  it('should show every gateway with its state, health, sessions and vitals to a viewer', async () => {
    const viewer = as(fleet.api!, fleet.api!.tokenFor('viewer'));
    // Vitals are published once a second: wait until they show every client connected, not only a history.
    const listed = await waitUntil('both gateways with a vitals history and gw-1 holding its 4 sessions', async () => {
      const { status, body } = await call(viewer, 'GET', '/v1/gateways');
      expect(status).toBe(200);
      const ready = body.gateways.length === 2 && body.gateways.every((g: { vitalsHistory: unknown[] }) => g.vitalsHistory.length >= 2);
      return ready && body.gateways[0].sessions === 4 ? body.gateways : undefined;
    });
    expect(listed.map((g: { id: string }) => g.id)).toEqual(['gw-1', 'gw-2']);
    const gw1 = listed[0];
    expect(gw1).toMatchObject({ registered: true, state: { state: 'serving' }, sessions: 4, runs: { open: [], recent: [] } });
    expect(gw1.health.score).toBeGreaterThan(0);
    expect(gw1.vitals).toMatchObject({ gatewayId: 'gw-1', connections: 4 });

    const one = await call(viewer, 'GET', '/v1/gateways/gw-2');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: 'gw-2', sessions: 0, registered: true });
    const unknown = await call(viewer, 'GET', '/v1/gateways/gw-404');
    expect(unknown).toMatchObject({ status: 404, contentType: expect.stringContaining('application/problem+json') });
    const bad = await call(viewer, 'GET', '/v1/gateways/NOT_AN_ID');
    expect(bad).toMatchObject({ status: 400, body: { field: 'gatewayId' } });
    expect((await call(as(fleet.api!, undefined), 'GET', '/v1/gateways')).status).toBe(401);
  });
});
