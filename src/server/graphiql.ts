// GraphiQL as served at /graphql to browsers: inlined (no CDN), subscriptions over graphql-ws,
// and two starter tabs on a real room so the first click shows live data.
import type { GraphiQLOptions } from 'graphql-yoga';

/** A room_id-shaped placeholder for when the caller has no room to offer. */
const PLACEHOLDER_ROOM = '7690183442860198697';

export const ROOM_QUERY_TAB = `# A room with its anchor, gift ranking and current product, in one request.
query Room($roomId: ID!) {
  liveRoom(roomId: $roomId) {
    id
    webRid
    title
    status
    isLive
    viewerCount
    connectionState
    owner { nickname avatar(size: MEDIUM) { url } }
    ranks(first: 5) {
      rank
      score
      user { nickname payGrade { level } fansClub { name level } }
    }
    currentPromotion { title priceFen }
  }
}
`;

export const ROOM_EVENTS_TAB = `# Live events: run it and watch the results arrive.
subscription LiveEvents($roomId: ID!) {
  roomEvents(
    roomId: $roomId
    types: [CHAT, GIFT, LIKE, MEMBER_JOINED, FOLLOW]
  ) {
    __typename
    createdAt
    user { nickname }
    ... on ChatEvent { content }
    ... on GiftEvent {
      gift { name diamondCount }
      phase
      totalCount
    }
    ... on LikeEvent { count total }
  }
}
`;

/** Options yoga hands to the GraphiQL renderer untyped: the open tab's initial Variables pane. */
type RendererOptions = GraphiQLOptions & { variables?: string };

export function graphiqlOptions(defaultRoomId: string | null): RendererOptions {
  const variables = JSON.stringify({ roomId: defaultRoomId ?? PLACEHOLDER_ROOM }, null, 2);
  return {
    title: 'Douyin live GraphQL',
    subscriptionsProtocol: 'WS',
    defaultTabs: [
      { query: ROOM_QUERY_TAB, variables },
      { query: ROOM_EVENTS_TAB, variables },
    ],
    // GraphiQL fills the open tab's Variables pane from `variables`, not from defaultTabs[0]:
    // without it the first tab runs with an empty pane.
    variables,
    defaultEditorToolsVisibility: 'variables',
  };
}
