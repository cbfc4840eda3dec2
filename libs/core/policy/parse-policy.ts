import { formatTreePath } from '../decision/tree-path.js';
import { PolicySchema, type Policy } from './policy-schema.js';

export interface PolicyIssue {
  /** The offending field or tree node, e.g. `decisionTree.rules[1].when.and[0].pred`. */
  readonly path: string;
  readonly message: string;
}

export class PolicyValidationError extends Error {
  override readonly name = 'PolicyValidationError';

  constructor(readonly issues: readonly PolicyIssue[]) {
    super(`invalid policy: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
}

/**
 * Turns untrusted input (a JSON text or an already parsed value) into a typed policy, or
 * throws a PolicyValidationError naming every offending field and tree node. Policies are
 * validated on write so a bad one never reaches a workflow.
 */
export const parsePolicy = (input: unknown): Policy => {
  const value = typeof input === 'string' ? parseJson(input) : input;
  const result = PolicySchema.safeParse(value);
  if (result.success) return result.data;
  throw new PolicyValidationError(
    result.error.issues.map((issue) => ({
      path: formatTreePath(issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))),
      message: issue.message,
    })),
  );
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PolicyValidationError([{ path: '', message: `not valid JSON: ${(error as Error).message}` }]);
  }
};
