/** A JSON Schema node as zod's `toJSONSchema` writes it (OpenAPI 3.0 flavour). */
export type SchemaNode = { [key: string]: unknown };

/** Keywords Kubernetes' structural schemas have no use for, or forbid. */
const DROPPED = new Set(['$schema', 'additionalProperties', 'default', 'id', '$id']);

const isObject = (value: unknown): value is SchemaNode => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Adapts a zod-generated schema to a structural OpenAPI v3 schema for a CRD:
 * - `additionalProperties: false` goes (Kubernetes forbids it beside `properties`;
 *   unknown fields are pruned by the API server, and the controller's zod parse is
 *   strict on what remains);
 * - `default`s go: zod applies them, so the stored object stays as its author wrote it;
 * - a union of a string and an integer (e.g. a quorum of `all` or a number) is Kubernetes'
 *   `x-kubernetes-int-or-string`, its exact values checked by the controller's zod parse;
 * - a node with no type (zod's custom-validated parts, e.g. the recursive decision tree)
 *   becomes an object whose fields are preserved as written and checked by the
 *   controller, which reports the offending tree node in a status condition.
 */
export const toStructural = (node: SchemaNode): SchemaNode => {
  if (isIntOrString(node)) return { 'x-kubernetes-int-or-string': true };
  if (node.type === undefined && node.properties === undefined) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, toStructural(child as SchemaNode)]));
    } else if (key === 'items' && isObject(value)) out.items = toStructural(value);
    else out[key] = value;
  }
  return out;
};

const isIntOrString = (node: SchemaNode): boolean => {
  if (!Array.isArray(node.anyOf)) return false;
  const types = new Set((node.anyOf as SchemaNode[]).map((option) => option.type));
  return types.size === 2 && types.has('string') && types.has('integer');
};

/** The same schema without one top-level property (e.g. a field the controller sets itself). */
export const withoutProperty = (node: SchemaNode, name: string): SchemaNode => {
  const { [name]: _dropped, ...properties } = (node.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(node.required) ? node.required.filter((r) => r !== name) : undefined;
  return { ...node, properties, ...(required ? { required } : {}) };
};
