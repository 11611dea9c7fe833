// issue 13 proof, end to end: the kinds typed beyond chat reach a graphql-ws subscriber as their
// own GraphQL types with their fields, filtered by the new RoomEventType values, from the
// simulator's real frames through the project's decoder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageKind } from '../../src/simulator/index.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

const TYPED = `subscription ($roomId: ID!, $types: [RoomEventType!]) {
  roomEvents(roomId: $roomId, types: $types) {
    __typename id method
    ... on PkBattleEvent { battlePhase battleId durationSeconds anchors { user { id } score rank } }
    ... on PkContributionEvent { teams { anchorId totalScore contributors { rank score user { id } } } }
    ... on LinkMicEvent { messageType battleId scores { userId score } }
    ... on RedEnvelopeEvent { envelopePhase envelopeId diamondCount winnerIds user { id } }
    ... on PollEvent { pollId options { text votes giftName } endsAt }
    ... on PinnedMessageEvent { messageId content operatorId }
    ... on MessageDeletedEvent { messageIds }
    ... on BannerEvent { position url data }
    ... on HourlyRankEvent { entries { scope title texts } }
    ... on GiftPanelEvent { giftIds gifts { id name } }
  }
}`;

interface TypedEvent {
  __typename: string;
  id: string;
  method: string;
  [field: string]: unknown;
}

const TYPES = ['PK_BATTLE', 'PK_CONTRIBUTION', 'LINK_MIC', 'RED_ENVELOPE', 'POLL', 'PINNED_MESSAGE', 'MESSAGE_DELETED', 'BANNER', 'HOURLY_RANK', 'GIFT_PANEL'];

describe('typed events over graphql-ws', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ sim: { rooms: [{ duplicateChatRate: 0 }] } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('delivers PK, red envelope, poll, pin, takedown, banner, rank and gift-panel events with their fields, and only those', async () => {
    const room = stack.sim.liveRooms()[0]!;
    const sub = subscribe<{ roomEvents: TypedEvent }>(stack.wsClient(), TYPED, { roomId: room.id, types: TYPES });
    await until(() => stack.gateway.supervisor.connectionState(room.id) === 'LIVE', 'the room to go LIVE');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');

    const chat = room.emitKind('chat');
    const kinds: MessageKind[] = ['pk', 'pkArmies', 'pkContribute', 'linkMic', 'pk', 'redEnvelope', 'redEnvelope', 'redEnvelope',
      'poll', 'pin', 'deleted', 'banner', 'hourRank', 'giftSort'];
    const sent = kinds.map((kind) => room.emitKind(kind));
    await until(() => sub.results.length >= sent.length, 'every typed event');
    const events = sub.results.map((result) => result.roomEvents);

    // The chat was filtered out on the server; the rest came in order as their own types.
    expect(events.map((event) => event.id)).toEqual(sent.map((record) => record.msgId));
    expect(events.map((event) => event.__typename)).toEqual([
      'PkBattleEvent', 'PkContributionEvent', 'PkContributionEvent', 'LinkMicEvent', 'PkBattleEvent',
      'RedEnvelopeEvent', 'RedEnvelopeEvent', 'RedEnvelopeEvent', 'PollEvent', 'PinnedMessageEvent', 'MessageDeletedEvent',
      'BannerEvent', 'HourlyRankEvent', 'GiftPanelEvent',
    ]);
    expect(events.map((event) => event.method)).toEqual(sent.map((record) => record.method));

    const [started, armies, contribution, linkMic, finished] = events;
    const anchorId = room.summary().anchor.uid;
    expect(started).toMatchObject({ battlePhase: 'STARTED', durationSeconds: 300 });
    expect((started!.anchors as { user: { id: string } }[]).map((anchor) => anchor.user.id)).toContain(anchorId);
    expect(armies!.teams).toEqual(expect.arrayContaining([expect.objectContaining({ anchorId })]));
    expect(contribution!.teams).toEqual([expect.objectContaining({ anchorId, totalScore: expect.any(Number) })]);
    expect(linkMic).toMatchObject({ battleId: started!.battleId });
    expect(finished).toMatchObject({ battlePhase: 'FINISHED', battleId: started!.battleId });
    expect((finished!.anchors as { score: number | null }[]).every((anchor) => typeof anchor.score === 'number')).toBe(true);

    const [sentEnvelope, status, rewarded] = events.slice(5, 8);
    expect(sentEnvelope).toMatchObject({ envelopePhase: 'SENT', diamondCount: expect.any(Number), user: { id: expect.any(String) } });
    expect(status).toMatchObject({ envelopePhase: 'STATUS', envelopeId: null });
    expect(rewarded).toMatchObject({ envelopePhase: 'REWARDED', envelopeId: sentEnvelope!.envelopeId });
    expect(rewarded!.winnerIds).toHaveLength(2);

    const [poll, pinned, deleted, banner, hourly, panel] = events.slice(8);
    expect((poll!.options as unknown[]).length).toBe(2);
    // The pin and the takedown name the chat the room sent before them.
    expect(pinned).toMatchObject({ messageId: chat.msgId, content: chat.text, operatorId: anchorId });
    expect(deleted!.messageIds).toEqual([chat.msgId]);
    expect(JSON.parse(banner!.data as string)).toMatchObject({ title: '直播间活动' });
    expect((hourly!.entries as { scope: string }[]).map((entry) => entry.scope)).toEqual(['GLOBAL', 'CATEGORY']);
    expect((panel!.giftIds as string[]).length).toBe(6);
    sub.stop();
  });
});
