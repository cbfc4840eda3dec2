import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { CRDS_FILE, homeostatCrds, renderCrds } from './render-crds.js';

describe(renderCrds.name, () => {
  it('should match the checked-in deploy/k8s/crds.yaml (run `npm run k8s:crds` after a schema change)', () => {
    expect(readFileSync(CRDS_FILE, 'utf8')).toBe(renderCrds());
  });

  it('should give the policy spec a structural schema: every node typed (or int-or-string), no additionalProperties', () => {
    // The client library's models spell x-kubernetes-* fields in snake case (as the YAML shows).
    const [policy] = homeostatCrds();
    const walk = (node: Record<string, unknown>, path: string): string[] => {
      const problems = [
        ...(node.type === undefined && node.x_kubernetes_int_or_string !== true ? [`${path}: no type`] : []),
        ...(node.additionalProperties !== undefined ? [`${path}: additionalProperties`] : []),
      ];
      const children = Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>);
      return [...problems, ...children.flatMap(([name, child]) => walk(child, `${path}.${name}`)), ...(node.items ? walk(node.items as Record<string, unknown>, `${path}[]`) : [])];
    };
    const spec = policy?.spec.versions[0]?.schema?.openAPIV3Schema?.properties?.spec as unknown as Record<string, unknown>;
    expect(walk(spec, 'spec')).toEqual([]);
    expect(Object.keys(spec.properties as object)).toEqual(expect.arrayContaining(['mode', 'decisionTree', 'guardrails', 'kubernetes']));
    expect(Object.keys(spec.properties as object)).not.toContain('version');
    const detector = (spec.properties as Record<string, { properties: Record<string, { properties: Record<string, unknown> }> }>).detector;
    expect(detector?.properties.agreement?.properties.quorum).toEqual({ x_kubernetes_int_or_string: true });
  });
});
