import { SetMetadata } from '@nestjs/common';
import { type z } from 'zod';

export const API_DOC = 'homeostat:api-doc';

export interface ApiDocOptions {
  readonly summary: string;
  readonly description?: string;
  /** Answers besides the success and the errors every route may give (e.g. 409 for a closed run). */
  readonly responses?: Readonly<Record<number, string>>;
  /** The request body, for routes that validate it themselves (the policy document). */
  readonly body?: z.ZodType;
  /** What a success answers (and any other 2xx in `responses`), as JSON. */
  readonly response?: z.ZodType;
  /** A success that is not JSON: the page, the metrics text, the event stream. */
  readonly produces?: 'text/html' | 'text/plain' | 'text/event-stream';
}

/** What the OpenAPI document says about a route that its validation schemas cannot. */
export const ApiDoc = (options: ApiDocOptions) => SetMetadata(API_DOC, options);
