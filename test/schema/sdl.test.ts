import { readFileSync } from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';

describe('schema.graphql', () => {
  it('is the printed schema: run `npm run codegen` after changing src/schema and commit the result', () => {
    const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed.trim()).toBe(printSchema(lexicographicSortSchema(schema)).trim());
  });

  it('keeps every 64-bit id an ID, never an Int', () => {
    const sdl = printSchema(schema);
    const idLike = [...sdl.matchAll(/^\s+(\w*(?:Id|Ids|Rid|id))(?:\(.*\))?: \[?(\w+)/gm)].map(([, name, type]) => `${name}: ${type}`);
    expect(idLike.length).toBeGreaterThan(10);
    // sec_uid and the 抖音号 are text, not numbers.
    const textIds = new Set(['secUid: String', 'displayId: String']);
    expect(idLike.filter((field) => !/: ID$/.test(field) && !textIds.has(field))).toEqual([]);
  });
});
