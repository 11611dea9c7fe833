import { readFileSync } from 'node:fs';
import { getNamedType, GraphQLObjectType, isLeafType, lexicographicSortSchema, parse, printSchema, validate, type GraphQLInterfaceType } from 'graphql';
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

/** Every field of a type down to its leaves, as a selection (one level of objects is enough here). */
function allFields(type: GraphQLObjectType, depth = 2): string {
  return Object.values(type.getFields())
    .filter((field) => field.args.length === 0 && field.name !== 'room')
    .map((field) => {
      const named = getNamedType(field.type);
      if (isLeafType(named)) return field.name;
      return depth > 0 && named instanceof GraphQLObjectType ? `${field.name} { ${allFields(named, depth - 1)} }` : '';
    })
    .filter((selection) => selection !== '')
    .join(' ');
}

describe('room event types', () => {
  it('can all be selected whole in one subscription: no two share a field name with a different type', () => {
    // Older types disagree on action, total and reason; those three stay out of this check.
    const older = new Set(['FansClubEvent', 'ProductEvent', 'ViewerCountEvent', 'StreamGapEvent']);
    const implementations = schema.getPossibleTypes(schema.getType('RoomEvent') as GraphQLInterfaceType).filter((type) => !older.has(type.name));
    expect(implementations.length).toBe(33);
    const fragments = implementations.map((type) => `... on ${type.name} { ${allFields(type)} }`).join('\n');
    const errors = validate(schema, parse(`subscription ($id: ID!) { roomEvents(roomId: $id) { ${fragments} } }`));
    expect(errors.map((error) => error.message)).toEqual([]);
  });
});
