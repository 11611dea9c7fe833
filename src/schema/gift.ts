import type { Gift } from '../domain/model.ts';
import { builder } from './builder.ts';
import { ImageRef } from './image.ts';
import { giftCatalogs } from './loaders.ts';
import { LiveRoomRef } from './room.ts';

export const GiftRef = builder.objectRef<Gift>('Gift').implement({
  description: 'A gift viewers can send.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    diamondCount: t.expose('diamondCount', { type: 'SafeInt', description: 'Price in diamonds (抖币); 10 diamonds = ¥1.' }),
    combo: t.exposeBoolean('combo', { description: 'Whether sending it repeatedly forms a combo.' }),
    image: t.expose('image', { type: ImageRef, nullable: true }),
    type: t.exposeInt('type', { nullable: true, description: "Douyin's gift type number." }),
  }),
});

builder.objectField(LiveRoomRef, 'giftCatalog', (t) =>
  t.field({
    type: [GiftRef],
    nullable: true,
    description: "Gifts on offer in this room, from Douyin's gift list (one upstream call per room per operation).",
    resolve: (room, _args, context) => giftCatalogs(context).load(room.id),
  }),
);
