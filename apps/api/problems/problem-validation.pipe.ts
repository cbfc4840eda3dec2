import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { type FieldIssue, RequestValidationError } from './request-validation-error.js';

const MAX_ISSUES = 20;

/** The parts of the Standard Schema interface (which zod implements) this pipe uses. */
interface SchemaIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[];
}
interface StandardSchema {
  readonly '~standard': { validate(value: unknown): { value?: unknown; issues?: readonly SchemaIssue[] } | Promise<{ value?: unknown; issues?: readonly SchemaIssue[] }> };
}

const keyOf = (segment: PropertyKey | { readonly key: PropertyKey }): string =>
  String(typeof segment === 'object' && segment !== null ? segment.key : segment);

/** `unrecognized_keys` issues carry the key names outside the path; they are the field at fault. */
const fieldOf = (issue: SchemaIssue, parameter: string | undefined): string => {
  const path = (issue.path ?? []).map(keyOf);
  const keys = (issue as { keys?: unknown }).keys;
  if (Array.isArray(keys) && keys.length) path.push(keys.map(String).join(','));
  return [parameter, ...path].filter(Boolean).join('.');
};

/**
 * Validates `@Body/@Param/@Query({ schema })` like Nest's Standard Schema pipe, but failures say which field, path parameter or
 * query parameter is wrong (`@Param('gatewayId', { schema })` issues have no path of their own).
 */
@Injectable()
export class ProblemValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const schema = metadata.schema as StandardSchema | undefined;
    if (!schema || metadata.type === 'custom') return value;
    const result = await schema['~standard'].validate(value);
    if (!result.issues) return result.value;
    const parameter = metadata.type === 'param' || (metadata.type === 'query' && metadata.data) ? metadata.data : undefined;
    const issues: FieldIssue[] = result.issues.slice(0, MAX_ISSUES).map((issue) => ({ field: fieldOf(issue, parameter), message: issue.message }));
    throw new RequestValidationError(metadata.type, issues);
  }
}
