import { z } from 'zod';
import type { DecisionTree } from '../decision/tree.js';
import { validateTree } from '../decision/validate-tree.js';

/**
 * The tree is recursive and refers to itself by name, which zod's issues describe poorly;
 * validateTree does the checking and its issues become zod issues with the node's path.
 */
export const DecisionTreeSchema = z.custom<DecisionTree>().superRefine((tree, ctx) => {
  const validation = validateTree(tree);
  if (validation.ok) return;
  for (const issue of validation.issues) {
    ctx.addIssue({ code: 'custom', path: [...issue.path], input: tree, message: issue.reason });
  }
});
