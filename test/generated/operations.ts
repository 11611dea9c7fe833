/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** The gateway's collector for a watched room. */
export type ConnectionState =
  /** Opening the push connection. */
  | 'CONNECTING'
  /** The broadcast ended; no more events will come. */
  | 'ENDED'
  /** Receiving events. */
  | 'LIVE'
  /** The connection dropped; reconnecting with backoff. */
  | 'RECONNECTING'
  /** Looking the room up. */
  | 'RESOLVING'
  /** Connected, but no message or heartbeat reply for too long. */
  | 'STALLED'
  /** Every cookie/proxy pair of the upstream pool is quarantined (Douyin refused them); the room moves to the first pair that returns. */
  | 'UPSTREAM_DEGRADED'
  /** Douyin did not answer (no route, timeout, server error); the room is looked up again with backoff. */
  | 'UPSTREAM_UNREACHABLE'
  /** The room is not live; its status is polled until it is. */
  | 'WAITING_FOR_LIVE';

/** Where a gift event stands in its combo. */
export type GiftPhase =
  /** The combo ended (Douyin said so, or it went quiet). */
  | 'FINAL'
  /** The combo goes on. */
  | 'PROGRESS'
  /** The first event of a combo. */
  | 'STARTED';

/** The kinds of room event; each names one object type implementing RoomEvent. */
export type RoomEventType =
  /** Events of type AudienceGuideEvent. */
  | 'AUDIENCE_GUIDE'
  /** Events of type BannerEvent. */
  | 'BANNER'
  /** Events of type ChatEvent. */
  | 'CHAT'
  /** Events of type ChatLikeEvent. */
  | 'CHAT_LIKE'
  /** Events of type ConnectionStateEvent. */
  | 'CONNECTION_STATE'
  /** Events of type EmojiChatEvent. */
  | 'EMOJI_CHAT'
  /** Events of type FansClubEvent. */
  | 'FANS_CLUB'
  /** Events of type FanTicketEvent. */
  | 'FAN_TICKET'
  /** Events of type FollowEvent. */
  | 'FOLLOW'
  /** Events of type GiftEvent. */
  | 'GIFT'
  /** Events of type GiftPanelEvent. */
  | 'GIFT_PANEL'
  /** Events of type GuestPolicyEvent. */
  | 'GUEST_POLICY'
  /** Events of type HotChatEvent. */
  | 'HOT_CHAT'
  /** Events of type HotRoomEvent. */
  | 'HOT_ROOM'
  /** Events of type HourlyRankEvent. */
  | 'HOURLY_RANK'
  /** Events of type LikeEvent. */
  | 'LIKE'
  /** Events of type LinkMicEvent. */
  | 'LINK_MIC'
  /** Events of type MemberJoinedEvent. */
  | 'MEMBER_JOINED'
  /** Events of type MessageDeletedEvent. */
  | 'MESSAGE_DELETED'
  /** Events of type PinnedMessageEvent. */
  | 'PINNED_MESSAGE'
  /** Events of type PkBattleEvent. */
  | 'PK_BATTLE'
  /** Events of type PkContributionEvent. */
  | 'PK_CONTRIBUTION'
  /** Events of type PollEvent. */
  | 'POLL'
  /** Events of type ProductEvent. */
  | 'PRODUCT'
  /** Events of type RankUpdateEvent. */
  | 'RANK_UPDATE'
  /** Events of type RedEnvelopeEvent. */
  | 'RED_ENVELOPE'
  /** Events of type RoomIntroEvent. */
  | 'ROOM_INTRO'
  /** Events of type RoomNoticeEvent. */
  | 'ROOM_NOTICE'
  /** Events of type RoomStatsEvent. */
  | 'ROOM_STATS'
  /** Events of type RoomStatusEvent. */
  | 'ROOM_STATUS'
  /** Events of type RoomSyncEvent. */
  | 'ROOM_SYNC'
  /** Events of type ScreenChatEvent. */
  | 'SCREEN_CHAT'
  /** Events of type ShareEvent. */
  | 'SHARE'
  /** Events of type StreamGapEvent. */
  | 'STREAM_GAP'
  /** Events of type StreamLayoutEvent. */
  | 'STREAM_LAYOUT'
  /** Events of type UnknownEvent. */
  | 'UNKNOWN'
  /** Events of type ViewerCountEvent. */
  | 'VIEWER_COUNT';

/** A broadcast's state as Douyin reports it (Room.status: 1 preparing, 2 live, 3 paused, 4 ended). */
export type RoomStatus =
  /** Finished; the room_id will not be used again. */
  | 'ENDED'
  /** Broadcasting. */
  | 'LIVE'
  /** The anchor paused the broadcast. */
  | 'PAUSED'
  /** Set up, not yet broadcasting. */
  | 'PREPARING'
  /** Douyin sent a status the gateway does not know. */
  | 'UNKNOWN';

export type RoomEventsSubscriptionVariables = Exact<{
  roomId: string;
  types?: Array<RoomEventType> | RoomEventType | null | undefined;
  after?: string | null | undefined;
}>;


export type RoomEventsSubscription = { roomEvents:
    | { __typename: 'AudienceGuideEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'BannerEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'ChatEvent', content: string, id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'ChatLikeEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'ConnectionStateEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'EmojiChatEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'FanTicketEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'FansClubEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'FollowEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'GiftEvent', phase: GiftPhase, deltaCount: number, totalCount: number, totalDiamonds: number, id: string, type: RoomEventType, createdAt: string, cursor: string | null, gift: { name: string, diamondCount: number }, user: { nickname: string } | null }
    | { __typename: 'GiftPanelEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'GuestPolicyEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'HotChatEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'HotRoomEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'HourlyRankEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'LikeEvent', count: number, total: number, id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'LinkMicEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'MemberJoinedEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'MessageDeletedEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'PinnedMessageEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'PkBattleEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'PkContributionEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'PollEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'ProductEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'RankUpdateEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'RedEnvelopeEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'RoomIntroEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'RoomNoticeEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'RoomStatsEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'RoomStatusEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'RoomSyncEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'ScreenChatEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'ShareEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'StreamGapEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'StreamLayoutEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'UnknownEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
    | { __typename: 'ViewerCountEvent', id: string, type: RoomEventType, createdAt: string, cursor: string | null, user: { nickname: string } | null }
   };

export type RoomStatusSubscriptionVariables = Exact<{
  roomIds: Array<string> | string;
}>;


export type RoomStatusSubscription = { roomStatus: { roomId: string, at: string, connectionState: ConnectionState | null, status: RoomStatus | null } };

export type RoomOverviewQueryVariables = Exact<{
  roomId?: string | null | undefined;
  webRid?: string | null | undefined;
}>;


export type RoomOverviewQuery = { liveRoom: { id: string, webRid: string | null, title: string, status: RoomStatus, isLive: boolean | null, viewerCount: number | null, startedAt: string | null, owner: { id: string, nickname: string, avatar: { url: string | null } | null } | null, ranks: Array<{ rank: number, score: number, user: { nickname: string, payGrade: { level: number } | null, fansClub: { name: string, level: number } | null } }> | null, currentPromotion: { title: string, priceFen: number | null } | null } | null };

export type FeedQueryVariables = Exact<{
  first: number;
}>;


export type FeedQuery = { liveFeed: Array<{ id: string, title: string, isLive: boolean | null }> | null };


export const RoomEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"RoomEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"roomId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"types"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RoomEventType"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"roomEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"roomId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"roomId"}}},{"kind":"Argument","name":{"kind":"Name","value":"types"},"value":{"kind":"Variable","name":{"kind":"Name","value":"types"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nickname"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ChatEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"content"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GiftEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"phase"}},{"kind":"Field","name":{"kind":"Name","value":"deltaCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalDiamonds"}},{"kind":"Field","name":{"kind":"Name","value":"gift"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"diamondCount"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LikeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}}]}}]}}]} as unknown as DocumentNode<RoomEventsSubscription, RoomEventsSubscriptionVariables>;
export const RoomStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"RoomStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"roomIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"roomStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"roomIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"roomIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"connectionState"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<RoomStatusSubscription, RoomStatusSubscriptionVariables>;
export const RoomOverviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RoomOverview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"roomId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"webRid"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"liveRoom"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"roomId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"roomId"}}},{"kind":"Argument","name":{"kind":"Name","value":"webRid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"webRid"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"webRid"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isLive"}},{"kind":"Field","name":{"kind":"Name","value":"viewerCount"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"nickname"}},{"kind":"Field","name":{"kind":"Name","value":"avatar"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"size"},"value":{"kind":"EnumValue","value":"MEDIUM"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"ranks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nickname"}},{"kind":"Field","name":{"kind":"Name","value":"payGrade"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"level"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fansClub"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"level"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"currentPromotion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"priceFen"}}]}}]}}]}}]} as unknown as DocumentNode<RoomOverviewQuery, RoomOverviewQueryVariables>;
export const FeedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Feed"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"liveFeed"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"isLive"}}]}}]}}]} as unknown as DocumentNode<FeedQuery, FeedQueryVariables>;