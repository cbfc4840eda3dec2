import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod, type Type } from '@nestjs/common';
import { z } from 'zod';
import { REQUIRED_ROLE } from '../auth/requires-role.decorator.js';
import { isPublicPath } from '../auth/public-paths.js';
import { API_DOC, type ApiDocOptions } from './api-doc.decorator.js';

/** Nest's RouteParamtypes for the arguments that carry request data. */
const BODY = 3;
const QUERY = 4;
const PARAM = 5;

type JsonSchema = Record<string, unknown>;

interface RouteArgument {
  readonly index: number;
  readonly data?: string;
  readonly schema?: z.ZodType;
}

const PROBLEM = { $ref: '#/components/schemas/Problem' };

/** Request schemas as a client must send them (a transform's input side), responses as the API sends them; inline. */
const toJsonSchema = (schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return json;
};

/** The body of a success: the route's response schema, or its non-JSON media type. */
const successContent = (doc: ApiDocOptions | undefined): JsonSchema =>
  doc?.produces
    ? { [doc.produces]: { schema: { type: 'string' } } }
    : { 'application/json': { schema: doc?.response ? toJsonSchema(doc.response, 'output') : { type: 'object' } } };

const joinPath = (...parts: string[]): string =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .map((p) => (p.startsWith(':') ? `{${p.slice(1)}}` : p))
    .join('/')}`;

const pathsOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value ?? '')]);

const argumentsOf = (controller: Type, method: string): RouteArgument[] =>
  Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, RouteArgument>)
    .filter(([key]) => !key.includes('__customRouteArgs__'))
    .map(([key, arg]) => ({ ...arg, type: Number(key.split(':')[0]) }) as RouteArgument & { type: number })
    .sort((a, b) => a.index - b.index);

const defaultRole = (verb: string): string => (verb === 'get' ? 'viewer' : 'admin');

const successStatus = (controller: Type, handler: object, verb: string): number =>
  (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (verb === 'post' ? 201 : 200);

const STANDARD_ERRORS: Readonly<Record<number, string>> = {
  400: 'Invalid request: the problem names the field, path or query parameter at fault',
  401: 'No or invalid bearer token',
  403: 'The caller\'s role does not allow this',
  404: 'No such resource',
  413: 'Body larger than the API accepts',
  431: 'Request line and headers over 16 KiB: refused before the API reads them',
  500: 'Unexpected error (logged; the answer reveals nothing about it)',
  503: 'A dependency (etcd or Temporal) did not answer; the problem names it',
};

/** One operation: parameters and body from the zod schemas that validate them, the answers it can give. */
const operationOf = (controller: Type, method: string, verb: string, path: string) => {
  const handler = controller.prototype[method] as object;
  const doc = Reflect.getMetadata(API_DOC, handler) as ApiDocOptions | undefined;
  const args = argumentsOf(controller, method) as (RouteArgument & { type: number })[];
  const parameters: JsonSchema[] = [];
  for (const arg of args.filter((a) => a.type === PARAM && a.data)) {
    parameters.push({ name: arg.data, in: 'path', required: true, schema: arg.schema ? toJsonSchema(arg.schema) : { type: 'string' } });
  }
  for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)) {
    if (!parameters.some((p) => p.name === name)) parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  for (const arg of args.filter((a) => a.type === QUERY && a.schema)) {
    const schema = toJsonSchema(arg.schema!);
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
      parameters.push({ name, in: 'query', required: required.has(name), schema: property, ...(property.description ? { description: property.description } : {}) });
    }
  }
  const bodySchema = args.find((a) => a.type === BODY)?.schema ?? doc?.body;
  const hasBody = args.some((a) => a.type === BODY);
  const validates = args.some((a) => a.schema !== undefined) || doc?.body !== undefined;
  const isPublic = isPublicPath(path);
  const role = (Reflect.getMetadata(REQUIRED_ROLE, handler) as string | undefined) ?? defaultRole(verb);
  const errors = [
    ...(validates || hasBody ? [400] : []),
    ...(isPublic ? [] : [401, 403]),
    ...(parameters.some((p) => p.in === 'path') ? [404] : []),
    ...(hasBody ? [413] : []),
    431,
    500,
    503,
  ];
  const success = successStatus(controller, handler, verb);
  const responses: Record<string, JsonSchema> = { [success]: { description: 'Success', content: successContent(doc) } };
  for (const [status, description] of Object.entries(doc?.responses ?? {})) {
    responses[status] = Number(status) >= 400 ? { description, content: { 'application/problem+json': { schema: PROBLEM } } } : { description, content: successContent(doc) };
  }
  for (const status of errors) {
    responses[status] ??= { description: STANDARD_ERRORS[status], content: { 'application/problem+json': { schema: PROBLEM } } };
  }
  return {
    operationId: `${controller.name.replace(/Controller$/, '')}.${method}`,
    summary: doc?.summary ?? method,
    ...(doc?.description || !isPublic ? { description: [doc?.description, isPublic ? undefined : `Needs role: ${role}.`].filter(Boolean).join('\n\n') } : {}),
    tags: [controller.name.replace(/Controller$/, '')],
    ...(isPublic ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(hasBody || bodySchema
      ? { requestBody: { required: true, content: { 'application/json': { schema: bodySchema ? toJsonSchema(bodySchema) : { type: 'object' } } } } }
      : {}),
    responses,
  };
};

const VERBS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};

/**
 * The OpenAPI 3.1 document of the API, read from the controllers themselves: the
 * routes Nest maps, the zod schemas their `@Body/@Query/@Param({ schema })` validate
 * with (one source of truth), the role each needs, and every error as problem+json.
 */
export const buildOpenApiDocument = (controllers: readonly Type[], info: { title: string; version: string }) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const controller of controllers) {
    for (const prefix of pathsOf(Reflect.getMetadata(PATH_METADATA, controller))) {
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[method] as object;
        if (method === 'constructor' || typeof handler !== 'function') continue;
        const verb = VERBS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        if (!verb || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        for (const sub of pathsOf(Reflect.getMetadata(PATH_METADATA, handler))) {
          const path = joinPath(prefix, sub);
          paths[path] = { ...paths[path], [verb]: operationOf(controller, method, verb, path) };
        }
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'Homeostat: self-healing control plane for push-gateway fleets. Every answer that is not a success is RFC 9457 problem+json.' },
    security: [{ bearer: [] }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from the API token file, or an OIDC access token' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string', description: 'urn:homeostat:problem:<kind>' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            field: { type: 'string', description: 'For a validation error: the field, path or query parameter at fault' },
          },
        },
      },
    },
  };
};

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
