// The push WebSocket URL (protocol §3.2), parameters in the order Douyin's own page sends them
// (checked against the handshake recorded in captures/douyin/danmaku/S13-live/meta.json).
import { DEFAULT_PROFILE, pushBrowserVersion, type BrowserProfile } from '../http/browser-profile.ts';
import { WEBCAST_SDK_VERSION, WEBCAST_VERSION_CODE } from './stub.ts';

export const PUSH_PATH = '/webcast/im/push/v2/';

export interface PushUrlParams {
  roomId: string;
  /** The same value the signature stub was computed with. */
  userUniqueId: string;
  /** From im/fetch or the last Response; syntheticCursor() for a cold start. */
  cursor: string;
  /** From im/fetch or the last Response; optional (Douyin's 2026 page omits it). */
  internalExt?: string | null;
  /** Omitted when empty: stand-ins accept unsigned URLs. */
  signature?: string | null;
  userAgent?: string;
  sdkVersion?: string;
  versionCode?: string;
  profile?: BrowserProfile;
}

/** A cursor for connecting without im/fetch, in the form Douyin's page uses (§3.2). */
export function syntheticCursor(nowMs: number): string {
  return `h-1_t-${Math.trunc(nowMs)}_r-1_d-1_u-1`;
}

/**
 * Turns a configured or im/fetch-supplied push server into a ws(s) base ending in the push
 * path: im/fetch may list several servers separated by , or ; and may say https.
 */
export function normalizePushBase(base: string): string {
  const first = base.split(/[,;]/)[0]!.trim();
  const url = new URL(first.replace(/^http(s?):/i, 'ws$1:'));
  url.search = '';
  url.hash = '';
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith(PUSH_PATH.slice(0, -1)) ? `${path}/` : `${path}${PUSH_PATH}`;
  return url.toString();
}

export function buildPushUrl(base: string, params: PushUrlParams): string {
  const profile = params.profile ?? DEFAULT_PROFILE;
  const userAgent = params.userAgent ?? profile.userAgent;
  const sdkVersion = params.sdkVersion ?? WEBCAST_SDK_VERSION;
  const query = new URLSearchParams();
  const add = (key: string, value: string | number) => query.append(key, String(value));
  add('app_name', 'douyin_web');
  add('version_code', params.versionCode ?? WEBCAST_VERSION_CODE);
  add('webcast_sdk_version', sdkVersion);
  add('update_version_code', sdkVersion);
  add('compress', 'gzip');
  add('cursor', params.cursor);
  if (params.internalExt) add('internal_ext', params.internalExt);
  add('host', 'https://live.douyin.com');
  add('aid', 6383);
  add('live_id', 1);
  add('did_rule', 3);
  add('debug', 'false');
  add('maxCacheMessageNumber', 20);
  add('endpoint', 'live_pc');
  add('support_wrds', 1);
  add('im_path', '/webcast/im/fetch/');
  add('user_unique_id', params.userUniqueId);
  add('device_platform', 'web');
  add('cookie_enabled', 'true');
  add('screen_width', profile.screenWidth);
  add('screen_height', profile.screenHeight);
  add('browser_language', profile.language);
  add('browser_platform', profile.browserPlatform);
  add('browser_name', 'Mozilla');
  add('browser_version', pushBrowserVersion(userAgent));
  add('browser_online', 'true');
  add('tz_name', profile.timeZone);
  add('identity', 'audience');
  add('room_id', params.roomId);
  add('need_persist_msg_count', 15);
  add('heartbeatDuration', 0);
  if (params.signature) add('signature', params.signature);
  return `${normalizePushBase(base)}?${query.toString()}`;
}
