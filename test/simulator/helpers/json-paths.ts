// JSON shape comparison: every key path of a value with the JSON type found there. Arrays are
// described by their first element, written `[]` in the path.

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'object') return type;
  throw new Error(`not a JSON value: ${type}`);
}

export function keyPaths(value: unknown, prefix = ''): Map<string, JsonType> {
  const paths = new Map<string, JsonType>();
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      if (node.length > 0) {
        paths.set(`${path}[]`, jsonType(node[0]));
        walk(node[0], `${path}[]`);
      }
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const childPath = path === '' ? key : `${path}.${key}`;
        paths.set(childPath, jsonType(child));
        walk(child, childPath);
      }
    }
  };
  walk(value, prefix);
  return paths;
}

/** The value at a path such as `data.data[].owner` (`[]` takes the first element). */
export function at(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.split('.')) {
    const isArray = part.endsWith('[]');
    const key = isArray ? part.slice(0, -2) : part;
    node = (node as Record<string, unknown> | null)?.[key];
    if (isArray) node = Array.isArray(node) ? node[0] : undefined;
  }
  return node;
}

/**
 * Paths (with types) under `path` in `expected` that `actual` lacks or types differently;
 * `deep` false compares only the direct children.
 */
export function shapeDifferences(expected: unknown, actual: unknown, path: string, deep = true): string[] {
  const want = keyPaths(at(expected, path));
  const have = keyPaths(at(actual, path));
  const problems: string[] = [];
  for (const [key, type] of want) {
    if (!deep && /[.[]/.test(key)) continue;
    const found = have.get(key);
    // An empty (or missing, reported on its own) array says nothing about its elements.
    if (found === undefined && key.includes('[]') && !have.has(`${key.slice(0, key.indexOf('[]'))}[]`)) continue;
    if (found !== type) problems.push(`${path}.${key}: capture ${type}, simulator ${found ?? 'missing'}`);
  }
  return problems;
}
