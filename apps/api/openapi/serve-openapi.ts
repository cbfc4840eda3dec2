import { type INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { API_CONTROLLERS } from '../app.module.js';
import { type OpenApiDocument, buildOpenApiDocument } from './openapi-document.js';

/** The API's own document, from its controllers. */
export const apiDocument = (version: string): OpenApiDocument => buildOpenApiDocument(API_CONTROLLERS, { title: 'Homeostat API', version });

/**
 * `/openapi.json` (the document, generated from the controllers and their zod
 * schemas) and `/docs` (Swagger UI from the swagger-ui-dist package, served
 * locally: no CDN). Both answer without a token (auth/public-paths.ts).
 */
export const serveOpenApi = (app: INestApplication, document: OpenApiDocument): void => {
  SwaggerModule.setup('docs', app, document as unknown as Parameters<typeof SwaggerModule.setup>[2], {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: 'Homeostat API',
    // The default validator badge would call validator.swagger.io.
    swaggerOptions: { validatorUrl: null },
  });
};
