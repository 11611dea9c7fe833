// Structural comparison of our JSON against a vendor sample: key paths (array items merged
// under `[]`) and JSON value types. Where the sample shows an empty object or array it cannot
// say what goes inside, so anything we put there is not counted as extra.

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export interface Shape {
  types: Map<string, Set<JsonType>>;
  /** Paths where every value seen was an empty object or array (a placeholder such as `Object{...}` beside real items does not count). */
  open: Set<string>;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

export function shapeOf(value: unknown): Shape {
  const shape: Shape = { types: new Map(), open: new Set() };
  const filled = new Set<string>();
  const visit = (item: unknown, path: string) => {
    const type = typeOf(item);
    if (!shape.types.has(path)) shape.types.set(path, new Set());
    shape.types.get(path)?.add(type);
    if (type === 'array') {
      const list = item as unknown[];
      (list.length === 0 ? shape.open : filled).add(path);
      for (const element of list) visit(element, `${path}[]`);
    } else if (type === 'object') {
      const entries = Object.entries(item as Record<string, unknown>);
      (entries.length === 0 ? shape.open : filled).add(path);
      for (const [key, child] of entries) visit(child, path === '' ? key : `${path}.${key}`);
    }
  };
  visit(value, '');
  for (const path of filled) shape.open.delete(path);
  return shape;
}

function parentOf(path: string): string {
  if (path.endsWith('[]')) return path.slice(0, -2);
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}

export interface ShapeDiff {
  /** Paths in both whose JSON types differ. */
  mismatches: { path: string; ours: JsonType[]; sample: JsonType[] }[];
  /** Sample paths we do not provide (only the top-most of a missing subtree). */
  missing: string[];
  /** Our paths the sample does not have (top-most; not under an empty sample container). */
  extra: string[];
}

export function compareShapes(ours: unknown, sample: unknown): ShapeDiff {
  const a = shapeOf(ours);
  const b = shapeOf(sample);
  const mismatches: ShapeDiff['mismatches'] = [];
  for (const [path, ourTypes] of a.types) {
    const sampleTypes = b.types.get(path);
    if (sampleTypes === undefined) continue;
    if ([...ourTypes].some((type) => !sampleTypes.has(type))) mismatches.push({ path, ours: [...ourTypes], sample: [...sampleTypes] });
  }
  const missing = [...b.types.keys()].filter((path) => path !== '' && !a.types.has(path) && a.types.has(parentOf(path)));
  const underOpen = (path: string) => {
    for (let parent = parentOf(path); ; parent = parentOf(parent)) {
      if (b.open.has(parent)) return true;
      if (parent === '') return false;
    }
  };
  const extra = [...a.types.keys()].filter((path) => path !== '' && !b.types.has(path) && b.types.has(parentOf(path)) && !underOpen(path));
  return { mismatches, missing, extra };
}

/** `*` matches within one path segment. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*');
  return new RegExp(`^${escaped}$`);
}

export interface Documented {
  why: string;
  paths: string[];
}

/** Paths not covered by any documented glob, and globs that match nothing (a stale list). */
export function undocumented(paths: readonly string[], documented: readonly Documented[]): { uncovered: string[]; stale: string[] } {
  const globs = documented.flatMap((entry) => entry.paths);
  const patterns = globs.map((glob) => ({ glob, regex: globToRegExp(glob) }));
  return {
    uncovered: paths.filter((path) => !patterns.some(({ regex }) => regex.test(path))),
    stale: patterns.filter(({ regex }) => !paths.some((path) => regex.test(path))).map(({ glob }) => glob),
  };
}
