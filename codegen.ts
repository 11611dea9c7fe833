// GraphQL Code Generator: prints schema.graphql (committed, compared by test/schema/sdl.test.ts)
// and typed documents for the operations in test/operations. Run with `npm run codegen`.
import type { CodegenConfig } from '@graphql-codegen/cli';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { register } from 'tsx/esm/api';

// The schema is TypeScript; Node's loader cannot read it without tsx.
register();
const { schema } = await import('./src/schema/index.ts');

// Generated from the printed SDL, not the executable schema: the latter carries enum values'
// internal values (RoomEventType.CHAT is 'ChatEvent' inside), which are not what clients send.
const sdl = printSchema(lexicographicSortSchema(schema));

const config: CodegenConfig = {
  schema: sdl,
  documents: './test/operations/*.graphql',
  generates: {
    './schema.graphql': { plugins: ['schema-ast'] },
    './test/generated/operations.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { ID: 'string', DateTime: 'string', SafeInt: 'number' },
      },
    },
  },
};

export default config;
