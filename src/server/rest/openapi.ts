// The OpenAPI 3.1 description of the vendor REST routes, served at /douyin/openapi.json. Built
// once from what the routes really do: parameters as the vendor documents them (../shared/seeds)
// with the checks params.ts applies, the token doors of auth/extract.ts, the failures of
// errors.ts, and response shapes from the vendor's samples and Douyin's captured answers. The
// keys the gateway always sends (its domain-derived shapes in shapes/) are `required`; Douyin's
// other keys pass through whole, so objects stay open (`additionalProperties` allowed) and the
// notable ones are listed with their types. test/e2e/vendor-openapi.test.ts validates every
// route's real answers against this document and fails on a route the document lacks.
//
// The document itself is public, like /health: it holds no room data and makes no upstream call,
// and API tooling (code generators, Swagger UI) fetches it without credentials.
import { MAX_BODY_BYTES } from './body.ts';
import { MAX_STATUS_ROOMS } from './params.ts';

export const OPENAPI_PATH = '/douyin/openapi.json';

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
type Schema = { readonly [key: string]: Json };

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const int: Schema = { type: 'integer' };
const str: Schema = { type: 'string' };
const bool: Schema = { type: 'boolean' };
const int64 = (description: string): Schema => ({ $ref: '#/components/schemas/Int64', description });

/** An object whose `required` keys the gateway always sends; other keys Douyin sent pass through. */
function open(required: readonly string[], properties: { readonly [key: string]: Schema }, description?: string): Schema {
  return { type: 'object', ...(description === undefined ? {} : { description }), required: [...required], properties };
}

/** The same, closed: shapes the gateway makes itself. */
function closed(properties: { readonly [key: string]: Schema }, description?: string): Schema {
  return { ...open(Object.keys(properties), properties, description), additionalProperties: false };
}

const SCHEMAS: { readonly [name: string]: Schema } = {
  Int64: {
    type: 'integer',
    description:
      'A 64-bit id written as a bare JSON number, exactly as the vendor and Douyin write it. Values beyond 2^53 lose digits in a plain JSON.parse: read them with a big-integer-aware parser, or use the string twin (`id_str`, `room_id_str`) where there is one.',
  },
  Url: { type: 'string', format: 'uri' },
  Image: open(
    ['uri', 'url_list', 'width', 'height'],
    {
      uri: str,
      url_list: { type: 'array', items: ref('Url'), description: 'The same image on several CDN hosts.' },
      width: int,
      height: int,
      avg_color: str,
      image_type: int,
      is_animated: bool,
      open_web_url: str,
    },
    'An image (cover, avatar, badge) as Douyin describes it.',
  ),
  PayGrade: open(
    ['level', 'name', 'grade_describe', 'this_grade_min_diamond', 'this_grade_max_diamond', 'next_diamond'],
    {
      level: { type: 'integer', description: '直播间用户等级: the viewer\'s spending level.' },
      name: str,
      grade_describe: { type: 'string', description: 'What the next level costs, e.g. 距离13级还差35抖币.' },
      this_grade_min_diamond: int,
      this_grade_max_diamond: { type: 'integer', description: '当前用户等级最大抖币数.' },
      next_diamond: int,
      total_diamond_count: int,
      new_live_icon: ref('Image'),
      new_im_icon_with_level: ref('Image'),
    },
  ),
  FansClub: open(
    ['data'],
    {
      data: open(['club_name', 'level', 'anchor_id'], {
        club_name: str,
        level: int,
        anchor_id: int64('The anchor whose club this is; 0 when the user is in none.'),
        user_fans_club_status: int,
        badge: open([], { title: str, icons: { type: 'object', additionalProperties: ref('Image') } }),
      }),
    },
    '粉丝团: the user\'s fans club in this anchor\'s room (ranklist fills it only with anchor_id).',
  ),
  User: open(
    [
      'id', 'id_str', 'short_id', 'sec_uid', 'display_id', 'nickname', 'gender', 'signature', 'verified', 'avatar_thumb',
      'follow_info', 'pay_grade', 'fans_club', 'web_rid',
    ],
    {
      id: int64('The user\'s uid.'),
      id_str: { type: 'string', pattern: '^[0-9]+$' },
      short_id: int64('The numeric Douyin number; 0 when unknown.'),
      sec_uid: { type: 'string', description: 'MS4wLjABAAAA…; "" when unknown.' },
      display_id: { type: 'string', description: 'The Douyin handle (抖音号).' },
      nickname: str,
      gender: { type: 'integer', enum: [0, 1, 2], description: '0 unknown, 1 male, 2 female.' },
      signature: str,
      verified: bool,
      avatar_thumb: ref('Image'),
      avatar_medium: ref('Image'),
      avatar_large: ref('Image'),
      follow_info: open(['follower_count', 'following_count'], { follower_count: int, following_count: int, follow_status: int }),
      pay_grade: ref('PayGrade'),
      fans_club: ref('FansClub'),
      web_rid: { type: 'string', description: 'The anchor\'s web room id (live.douyin.com/<web_rid>); "" for viewers.' },
      level: int,
      badge_image_list_v2: { type: 'array', items: ref('Image') },
    },
  ),
  StreamUrl: open(
    ['flv_pull_url', 'hls_pull_url_map', 'hls_pull_url', 'rtmp_pull_url', 'default_resolution'],
    {
      flv_pull_url: { type: 'object', additionalProperties: ref('Url'), description: 'FLV URL per quality (ORIGION, FULL_HD1, HD1, SD1, SD2).' },
      hls_pull_url_map: { type: 'object', additionalProperties: ref('Url'), description: 'HLS URL per quality.' },
      hls_pull_url: { type: 'string', description: 'The best HLS URL; "" when the room has no stream.' },
      rtmp_pull_url: { type: 'string', description: 'The best FLV URL; "" when the room has no stream.' },
      default_resolution: str,
      id: int64('The stream id.'),
      id_str: str,
      candidate_resolution: { type: 'array', items: str },
      live_core_sdk_data: open([], {
        pull_data: open([], { stream_data: { type: 'string', description: 'JSON text with every quality\'s URLs.' } }),
      }),
    },
    'Where to play the room: absent keys of an ended room are filled empty.',
  ),
  Room: open(
    [
      'id', 'id_str', 'status', 'title', 'owner_user_id', 'cover', 'user_count', 'like_count', 'create_time', 'start_time',
      'finish_time', 'has_commerce_goods', 'stats', 'living_room_attrs', 'stream_url',
    ],
    {
      id: int64('The room_id: one broadcast.'),
      id_str: { type: 'string', pattern: '^[0-9]{17,20}$' },
      status: { type: 'integer', enum: [0, 1, 2, 3, 4], description: '0 unknown, 1 preparing, 2 live, 3 paused, 4 ended.' },
      title: str,
      owner: ref('User'),
      owner_user_id: int64('The anchor\'s uid.'),
      cover: ref('Image'),
      user_count: { type: 'integer', description: 'Viewers now.' },
      like_count: int,
      create_time: { type: 'integer', description: 'Unix seconds.' },
      start_time: { type: 'integer', description: 'Unix seconds.' },
      finish_time: { type: 'integer', description: 'Unix seconds; 0 while live (Douyin may send the start time).' },
      has_commerce_goods: bool,
      stats: open(['id', 'id_str', 'total_user', 'like_count'], {
        id: int64('The room_id.'),
        id_str: str,
        total_user: { type: 'integer', description: 'Viewers since the start.' },
        like_count: int,
        fan_ticket: int,
        total_user_str: str,
        user_count_str: str,
      }),
      living_room_attrs: open(['room_id', 'room_id_str'], { room_id: int64('The room_id.'), room_id_str: str }),
      stream_url: ref('StreamUrl'),
      stream_id: int64('The stream id.'),
      stream_id_str: str,
      share_url: str,
      room_auth: { type: 'object', description: 'Which interactions the room allows (Chat, Gift, Digg, …).' },
      admin_user_ids: { type: 'array', items: ref('Int64') },
    },
    'A live room (one broadcast) as Douyin\'s room objects carry it.',
  ),
  DouyinExtra: open(['now'], { now: { type: 'integer', description: 'Unix milliseconds of the answer.' } }),
  RankEntry: open(
    ['rank', 'score', 'exactly_score', 'gap_description', 'delta', 'user'],
    {
      rank: { type: 'integer', minimum: 0 },
      score: { type: 'integer', description: 'Diamonds (音浪) given.' },
      exactly_score: { type: 'string', description: '打赏音浪数: the exact score as text ("" where Douyin sends none).' },
      gap_description: str,
      delta: { type: 'integer', description: 'Diamonds behind the entry above.' },
      user: ref('User'),
      first_gift: bool,
      is_hidden: bool,
      score_description: str,
    },
  ),
  RankList: open(
    ['ranks', 'total', 'has_more'],
    {
      ranks: { type: 'array', items: ref('RankEntry'), description: 'Gift senders, best first (at most 100).' },
      total: int,
      has_more: bool,
      self_info: open([], { rank: int, score: int, gap_description: str, delta: int, exactly_score: str }),
      user_count_desc: { type: 'string', description: 'The audience as Douyin words it, e.g. 4万+.' },
      currency: str,
      has_once_live: bool,
      invisible_total: int,
      music_wave: str,
    },
    'The room\'s gift (音浪) rank list, Douyin\'s ranklist/audience payload.',
  ),
  StatusEntry: closed({ alive: { type: 'boolean', description: 'true while the room is live.' }, room_id: int64('The room_id asked.') }),
  Promotion: open(
    [
      'promotion_id', 'product_id', 'title', 'short_title', 'price', 'min_price', 'cover', 'detail_url', 'in_stock', 'stock_num',
      'sale_num', 'shop_id', 'shop_name', 'index',
    ],
    {
      promotion_id: { type: 'string', pattern: '^[0-9]+$' },
      product_id: { type: 'string', pattern: '^[0-9]+$' },
      title: str,
      short_title: str,
      price: { type: 'integer', description: 'In fen (0.01 CNY).' },
      min_price: { type: 'integer', description: 'In fen: the lowest price over the product\'s variants.' },
      cover: { type: 'string', description: 'Image URL.' },
      detail_url: str,
      in_stock: bool,
      stock_num: int,
      sale_num: int,
      shop_id: int64('The shop.'),
      shop_name: str,
      index: { type: 'integer', description: 'Position in the cart (1 first).' },
      platform_label: str,
      status: int,
      extra: { type: 'object' },
    },
  ),
  Promotions: open(
    ['promotions', 'current_promotion_id', 'total', 'has_more', 'status_code'],
    {
      promotions: { type: 'array', items: ref('Promotion') },
      current_promotion_id: { type: 'string', description: 'The product being explained now; "" when none.' },
      total: int,
      has_more: { type: 'boolean', description: 'Always false: the whole cart comes at once.' },
      status_code: int,
      entries: { type: 'array', items: open([], { title: str, type: int, url: str, icon: str }) },
      expire_time: int,
      min_refresh_gap: int,
    },
    'The products on sale in the room (Douyin\'s promotions answer, flat).',
  ),
  ChatUser: closed({
    uid: int64('The sender\'s uid; 0 when the message has none.'),
    nickname: str,
    unique_id: { type: 'string', description: 'The sender\'s Douyin handle.' },
    sec_uid: str,
  }),
  ChatMessage: closed({
    method: {
      type: 'string',
      enum: [
        'WebcastChatMessage', 'WebcastEmojiChatMessage', 'WebcastGiftMessage', 'WebcastLikeMessage', 'WebcastMemberMessage',
        'WebcastSocialMessage', 'WebcastRoomIntroMessage',
      ],
      description: 'The wire method: chat, emoji chat, gift, like, joined (来了), follow or share, the room\'s intro.',
    },
    msg_id: int64('Douyin\'s message id: each message comes once.'),
    payload: closed({
      room_id: int64('The room_id.'),
      content: { type: 'string', description: 'The text (for gifts, likes, joins and follows, the vendor\'s wording).' },
      user: ref('ChatUser'),
    }),
  }),
  ChatPage: closed(
    {
      messages: { type: 'array', items: ref('ChatMessage'), description: 'Oldest first.' },
      cursor: { type: 'string', description: 'Where this caller\'s next poll starts; "" until the room has stored anything.' },
      fetch_interval: { type: 'integer', description: 'Milliseconds to wait before the next poll.' },
      now: { type: 'integer', description: 'Unix milliseconds.' },
      internal_ext: str,
      ignores: { type: 'array', items: str, description: 'Methods this route leaves out.' },
    },
    'One poll of the room\'s messages, in Douyin\'s im/fetch layout.',
  ),
  VendorError: {
    ...closed({
      code: { const: -1 },
      msg: { type: 'string', description: 'What went wrong, for people; switch on the X-Error-Code header instead.' },
      data: { type: 'null' },
    }),
    description: 'Every failure, on every route, with a real HTTP status.',
  },
};

/** Douyin's own `{data, extra: {now}, status_code}` wrapper around a payload. */
function douyinBody(data: Schema): Schema {
  return open(['data', 'extra', 'status_code'], {
    data,
    extra: ref('DouyinExtra'),
    status_code: { type: 'integer', description: 'Douyin\'s status: 0 on every answer that reaches you.' },
  });
}

/** The vendor's `{code, data, msg}`: GET routes answer 200/"success", the POST route 0/"成功". */
function envelope(style: 'liveroom' | 'dy', data: Schema): Schema {
  const success = style === 'liveroom' ? { code: 200, msg: 'success' } : { code: 0, msg: '成功' };
  return closed({ code: { const: success.code }, data, msg: { const: success.msg } });
}

function ok(description: string, schema: Schema): Schema {
  return { description, content: { 'application/json': { schema } } };
}

interface ErrorAnswer {
  name: string;
  description: string;
  codes: readonly string[];
  headers?: { readonly [name: string]: Schema };
}

const RETRY_AFTER: Schema = { description: 'Seconds to wait before trying again.', schema: { type: 'string', pattern: '^[0-9]+$' } };

/** Every failure status a vendor route answers with, and the X-Error-Code values it carries (errors.ts). */
const ERROR_ANSWERS: { readonly [status: string]: ErrorAnswer } = {
  '400': { name: 'BadRequest', description: 'A parameter is missing or malformed; checked before any upstream call.', codes: ['BAD_REQUEST'] },
  '401': {
    name: 'Unauthorized',
    description: 'The token is missing, unknown or revoked.',
    codes: ['MISSING_TOKEN', 'BAD_TOKEN', 'REVOKED_TOKEN'],
    headers: { 'WWW-Authenticate': { schema: { const: 'Bearer' } } },
  },
  '404': { name: 'RoomNotFound', description: 'The room id names no broadcast.', codes: ['ROOM_NOT_FOUND'] },
  '405': {
    name: 'MethodNotAllowed',
    description: 'The route takes another method (named in Allow).',
    codes: ['METHOD_NOT_ALLOWED'],
    headers: { Allow: { schema: { type: 'string', enum: ['GET', 'POST'] } } },
  },
  '413': { name: 'PayloadTooLarge', description: `The request body is larger than ${MAX_BODY_BYTES} bytes.`, codes: ['PAYLOAD_TOO_LARGE'] },
  '415': { name: 'UnsupportedMediaType', description: 'The body is not multipart/form-data, a urlencoded form or JSON.', codes: ['BAD_REQUEST'] },
  '429': {
    name: 'TooManyRequests',
    description: 'Your token (or address, when the gateway runs open) spent its RATE_LIMIT_PER_MIN, or Douyin throttles the gateway.',
    codes: ['TOO_MANY_REQUESTS', 'RATE_LIMITED', 'UPSTREAM_BUSY'],
    headers: { 'Retry-After': RETRY_AFTER },
  },
  '500': { name: 'Internal', description: 'Something unexpected failed; the message is masked and the cause logged.', codes: ['INTERNAL'] },
  '502': {
    name: 'BadGateway',
    description: 'Douyin refused the gateway (risk control), or its answer lacked what the route needs.',
    codes: ['BLOCKED', 'UPSTREAM_UNAVAILABLE'],
  },
  '503': {
    name: 'Unavailable',
    description:
      'Douyin did not answer usefully, the gateway lacks a logged-in cookie or a healthy cookie/proxy pair, or the event store is unreachable (chat). The operator\'s to fix; retry later.',
    codes: ['UPSTREAM_UNAVAILABLE', 'UPSTREAM_DEGRADED', 'LOGIN_REQUIRED', 'STORE_UNAVAILABLE', 'HISTORY_UNAVAILABLE'],
    headers: { 'Retry-After': RETRY_AFTER },
  },
};

function errorResponse(answer: ErrorAnswer): Schema {
  return {
    description: answer.description,
    headers: {
      'X-Error-Code': { description: 'The stable error code to switch on.', required: true, schema: { type: 'string', enum: [...answer.codes] } },
      ...answer.headers,
    },
    content: { 'application/json': { schema: ref('VendorError') } },
  };
}

function responses(success: Schema, statuses: readonly string[]): Schema {
  const answers: { [status: string]: Json } = { '200': success };
  for (const status of statuses) answers[status] = { $ref: `#/components/responses/${ERROR_ANSWERS[status]!.name}` };
  return answers;
}

/**
 * Failures every vendor route can answer with; routes add their own. A method a path does not
 * take is no operation of it, so its 405 (components.responses.MethodNotAllowed, with Allow) is
 * said in the document's description rather than under each operation.
 */
const EVERY_ROUTE = ['401', '429', '500'];
const UPSTREAM = ['502', '503'];

const param = (name: string): Schema => ({ $ref: `#/components/parameters/${name}` });

const PARAMETERS: { readonly [name: string]: Schema } = {
  RoomId: {
    name: 'room_id',
    in: 'query',
    required: true,
    description: '直播间id: the room_id of a broadcast (17 to 20 digits; live.douyin.com pages show the web_rid instead, which /info accepts).',
    schema: { type: 'string', pattern: '^[0-9]{17,20}$' },
    examples: { room: { value: '6843198199583378191' } },
  },
  RoomRef: {
    name: 'room_id',
    in: 'query',
    required: true,
    description: '直播间id: a room_id (17 to 20 digits), or the anchor\'s web_rid (up to 16 digits, the number in live.douyin.com/<web_rid>) for their current broadcast.',
    schema: { type: 'string', pattern: '^[0-9]{1,20}$' },
    examples: { room_id: { value: '6843198199583378191' }, web_rid: { value: '148108118778' } },
  },
  RoomIdList: {
    name: 'room_id',
    in: 'query',
    required: true,
    description: `Comma-separated room_ids, at most ${MAX_STATUS_ROOMS}; duplicates are answered once, in the order given.`,
    schema: { type: 'string', pattern: '^\\s*[0-9]{17,20}\\s*(,\\s*[0-9]{17,20}\\s*)*,?$' },
    examples: { two: { value: '6843198199583378191,6872323400263797518' } },
  },
  AnchorId: {
    name: 'anchor_id',
    in: 'query',
    required: false,
    description: '主播uid: the anchor\'s uid. Optional; Douyin fills the ranks\' fans-club data only with it.',
    schema: { type: 'string', pattern: '^[0-9]{1,20}$' },
  },
  AuthorId: {
    name: 'author_id',
    in: 'query',
    required: false,
    description: 'The anchor\'s uid (a gateway addition to the vendor\'s parameters). Douyin needs it; without it the gateway looks it up from the room first (one more upstream call).',
    schema: { type: 'string', pattern: '^[0-9]{1,20}$' },
  },
};

const ROOM_RANKLIST_FORM: Schema = {
  type: 'object',
  required: ['room_id'],
  properties: {
    room_id: { type: 'string', pattern: '^[0-9]{17,20}$', description: '直播间id.' },
    sec_anchor_id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$', description: 'The anchor\'s sec_uid (可选 最好加上: optional, best given).' },
    wcid: { type: 'string', description: '会话ID: the vendor\'s session id. Accepted and not needed: the gateway keeps its own Douyin session.' },
  },
};

const TOKEN_NOTE =
  'Send the API token as `?token=` (the vendor\'s GET routes), an `Access-Token` header (the vendor\'s POST route) or `Authorization: Bearer`; every route takes all three. A gateway started without API_TOKENS_FILE is open (loopback only) and needs none.';

const PATHS: { readonly [path: string]: { readonly [method: string]: Schema } } = {
  '/douyin/liveroom/info': {
    get: {
      operationId: 'roomInfo',
      summary: '直播间信息: the room (title, status, owner, counts, cover, stream URLs, stats)',
      description: 'Douyin\'s room object whole, in the vendor\'s layout. By web_rid it is the anchor\'s current broadcast.',
      parameters: [param('RoomRef')],
      responses: responses(ok('The room.', envelope('liveroom', douyinBody(ref('Room')))), ['400', '404', ...EVERY_ROUTE, ...UPSTREAM]),
    },
  },
  '/douyin/liveroom/chat': {
    get: {
      operationId: 'roomChat',
      summary: '弹幕/关注/送礼/点赞/来了 实时获取: poll the room\'s messages',
      description:
        'Poll-based: the first call for a room starts collecting it and returns its most recent stored messages (up to a page); each later call returns what arrived since this caller\'s (token\'s, or address\'s when open) previous call. A room not polled for 5 minutes stops being collected. Needs the event store (503 HISTORY_UNAVAILABLE without one).',
      parameters: [param('RoomId')],
      responses: responses(ok('Messages since the previous poll.', envelope('liveroom', ref('ChatPage'))), ['400', ...EVERY_ROUTE, '503']),
    },
  },
  '/douyin/liveroom/promotions': {
    get: {
      operationId: 'roomPromotions',
      summary: '直播间带货商品列表: the products on sale in the room',
      parameters: [param('RoomId'), param('AuthorId')],
      responses: responses(ok('The cart.', envelope('liveroom', ref('Promotions'))), ['400', '404', ...EVERY_ROUTE, ...UPSTREAM]),
    },
  },
  '/douyin/liveroom/status': {
    get: {
      operationId: 'roomStatus',
      summary: '开播查询: which of the rooms are live',
      description: 'One upstream call per 50 rooms. A room Douyin does not report is not alive.',
      parameters: [param('RoomIdList')],
      responses: responses(
        ok('One entry per room asked, in the order asked.', envelope('liveroom', douyinBody({ type: 'array', items: ref('StatusEntry') }))),
        ['400', ...EVERY_ROUTE, ...UPSTREAM],
      ),
    },
  },
  '/douyin/liveroom/audience': {
    get: {
      operationId: 'roomAudience',
      summary: '在线观众: the audience / gift (音浪) rank list',
      parameters: [param('RoomId')],
      responses: responses(ok('The rank list.', envelope('liveroom', douyinBody(ref('RankList')))), ['400', '404', ...EVERY_ROUTE, ...UPSTREAM]),
    },
  },
  '/douyin/liveroom/feed': {
    get: {
      operationId: 'roomFeed',
      summary: '随机推荐: recommended live rooms, each a full room object',
      responses: responses(
        ok('Live rooms.', envelope('liveroom', douyinBody({ type: 'array', items: ref('Room') }))),
        [...EVERY_ROUTE, ...UPSTREAM],
      ),
    },
  },
  '/douyin/liveroom/ranklist': {
    get: {
      operationId: 'roomRankList',
      summary: '音浪榜前100名: the top-100 gift rank list',
      parameters: [param('RoomId'), param('AnchorId')],
      responses: responses(ok('The rank list.', envelope('liveroom', douyinBody(ref('RankList')))), ['400', '404', ...EVERY_ROUTE, ...UPSTREAM]),
    },
  },
  '/dy/live/get_room_ranklist': {
    post: {
      operationId: 'getRoomRankList',
      summary: '查询直播间刷礼物用户: users who sent gifts in the room',
      description: 'The same rank list as /ranklist, in the vendor\'s other envelope (code 0, msg 成功). The query string is read for parameters the body lacks.',
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': { schema: ROOM_RANKLIST_FORM },
          'application/x-www-form-urlencoded': { schema: ROOM_RANKLIST_FORM },
          'application/json': {
            schema: {
              ...ROOM_RANKLIST_FORM,
              description: 'A JSON object, as the vendor\'s example shows. Send room_id as a string: a number beyond 2^53 has already lost digits and is refused.',
            },
          },
        },
      },
      responses: responses(ok('The rank list.', envelope('dy', douyinBody(ref('RankList')))), [
        '400', '404', '413', '415', ...EVERY_ROUTE, ...UPSTREAM,
      ]),
    },
  },
  [OPENAPI_PATH]: {
    get: {
      operationId: 'openApiDocument',
      summary: 'This document',
      description: 'Public, like /health: no token needed, not rate limited.',
      security: [],
      responses: {
        '200': ok('The OpenAPI 3.1 document.', open(['openapi', 'info', 'paths'], { openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' } })),
      },
    },
  },
};

function buildDocument(): Schema {
  const errorResponses: { [name: string]: Json } = {};
  for (const answer of Object.values(ERROR_ANSWERS)) errorResponses[answer.name] = errorResponse(answer);
  return {
    openapi: '3.1.0',
    info: {
      title: 'douyin-live-graphql: the vendor-compatible REST API',
      version: '1',
      description: `Drop-in routes of the commercial Douyin live API: clients switch by changing the host. Answers keep the vendor's {code, data, msg} envelope and Douyin's JSON whole (every key Douyin sends reaches you; the required keys below are always there). GraphQL (/graphql) serves the same data normalized.\n\n${TOKEN_NOTE}\n\nEvery failure is {code: -1, msg, data: null} with a real HTTP status and its code in the X-Error-Code header (components.responses). A method a path does not take answers 405 METHOD_NOT_ALLOWED naming the right one in Allow (components.responses.MethodNotAllowed).`,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    security: [{ token: [] }, { accessToken: [] }, { bearer: [] }],
    paths: PATHS,
    components: {
      securitySchemes: {
        token: { type: 'apiKey', in: 'query', name: 'token', description: '接口授权码: the API token, as the vendor\'s GET routes take it.' },
        accessToken: { type: 'apiKey', in: 'header', name: 'Access-Token', description: 'The API token, as the vendor\'s POST route takes it.' },
        bearer: { type: 'http', scheme: 'bearer', description: 'The API token, as GraphQL takes it.' },
      },
      parameters: PARAMETERS,
      responses: errorResponses,
      schemas: SCHEMAS,
    },
  };
}

/** The document, built once. */
export const VENDOR_OPENAPI: Schema = buildDocument();

/** Its JSON text, written once. */
export const VENDOR_OPENAPI_TEXT = JSON.stringify(VENDOR_OPENAPI);
