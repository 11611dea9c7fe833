import type { RankEntry } from '../domain/model.ts';
import { boundedIntArg } from './arguments.ts';
import { builder } from './builder.ts';
import { rankLists } from './loaders.ts';
import { LiveRoomRef } from './room.ts';
import { UserRef } from './user.ts';

export const RankEntryRef = builder.objectRef<RankEntry>('RankEntry').implement({
  description: "A viewer on the room's gift ranking (online audience rank list).",
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: '1 is the top giver.' }),
    score: t.expose('score', {
      type: 'SafeInt',
      description: 'Diamonds given in this broadcast; Douyin rounds it for display ranks.',
    }),
    exactScore: t.exposeString('exactScore', { nullable: true, description: "The exact score as Douyin's string, when sent." }),
    gap: t.exposeString('gap', { nullable: true, description: 'Text such as "距离上一名还差1音浪".' }),
    delta: t.expose('delta', { type: 'SafeInt', nullable: true, description: 'Diamonds behind the entry above, when sent.' }),
    user: t.expose('user', { type: UserRef, description: 'The viewer, with payGrade and fansClub when Douyin sends them.' }),
  }),
});

builder.objectField(LiveRoomRef, 'ranks', (t) =>
  t.field({
    type: [RankEntryRef],
    nullable: true,
    description: "The top of the room's gift ranking, from Douyin's rank list (one upstream call per room per operation).",
    args: { first: t.arg.int({ defaultValue: 10, required: true, description: 'At most this many entries, 0–100.' }) },
    resolve: async (room, args, context) => {
      const first = boundedIntArg(args.first, 'first', 0, 100);
      const list = await rankLists(context).load({
        roomId: room.id,
        anchorId: room.owner?.id ?? null,
        secAnchorId: room.owner?.secUid ?? null,
      });
      return list.entries.slice(0, first);
    },
  }),
);
