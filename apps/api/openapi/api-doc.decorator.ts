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
}

/** What the OpenAPI document says about a route that its validation schemas cannot. */
export const ApiDoc = (options: ApiDocOptions) => SetMetadata(API_DOC, options);
