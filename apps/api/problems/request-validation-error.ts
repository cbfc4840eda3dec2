export interface FieldIssue {
  /** Dotted path in the body or query, or the name of a path parameter. */
  readonly field: string;
  readonly message: string;
}

/** A request that does not match its schema; becomes a 400 naming each field. */
export class RequestValidationError extends Error {
  constructor(
    readonly location: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super(issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '));
    this.name = 'RequestValidationError';
  }
}
