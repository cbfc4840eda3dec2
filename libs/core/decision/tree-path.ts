export type TreePath = readonly (string | number)[];

/** Renders `['rules', 1, 'when', 'and', 0]` as `rules[1].when.and[0]`, the way authors read JSON. */
export const formatTreePath = (path: TreePath): string =>
  path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? segment : `${text}.${segment}`;
  }, '');
