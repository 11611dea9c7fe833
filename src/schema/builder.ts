// The one SchemaBuilder. Types live in their own files beside this one.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import type { SchemaContext } from './context.ts';

export interface GatewaySchemaTypes {
  Context: SchemaContext;
  Scalars: {
    ID: { Input: string; Output: string };
    /** Milliseconds since the epoch inside; ISO-8601 on the wire. */
    DateTime: { Input: number; Output: number };
    SafeInt: { Input: number; Output: number };
  };
  // Non-null unless a field says otherwise: nullability then documents where data can be missing.
  DefaultFieldNullability: false;
}

export const builder = new SchemaBuilder<GatewaySchemaTypes>({
  plugins: [DataloaderPlugin],
  defaultFieldNullability: false,
});

builder.queryType({
  description: 'Live rooms, their people and their history.',
});

builder.mutationType({
  description: 'Changes: watches and webhooks (needs a token with the write scope when tokens are on).',
});

builder.subscriptionType({
  description: 'Live events pushed as they happen.',
});
