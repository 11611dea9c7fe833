// The push signature's input (protocol §3.3): 13 key=value pairs in a fixed order, joined with
// commas, MD5'd. Keys with empty values are part of it even though the URL does not send them.
import { createHash } from 'node:crypto';

export const WEBCAST_SDK_VERSION = '1.0.15';
export const WEBCAST_VERSION_CODE = '180800';

export interface StubParams {
  roomId: string;
  /** Must be the user_unique_id the push URL sends (ideally im/fetch's wss_push_did). */
  userUniqueId: string;
  sdkVersion?: string;
  versionCode?: string;
}

export function signatureStubInput(params: StubParams): string {
  const pairs: [string, string][] = [
    ['live_id', '1'],
    ['aid', '6383'],
    ['version_code', params.versionCode ?? WEBCAST_VERSION_CODE],
    ['webcast_sdk_version', params.sdkVersion ?? WEBCAST_SDK_VERSION],
    ['room_id', params.roomId],
    ['sub_room_id', ''],
    ['sub_channel_id', ''],
    ['did_rule', '3'],
    ['user_unique_id', params.userUniqueId],
    ['device_platform', 'web'],
    ['device_type', ''],
    ['ac', ''],
    ['identity', 'audience'],
  ];
  return pairs.map(([key, value]) => `${key}=${value}`).join(',');
}

/** The X-MS-STUB handed to the signer: lowercase MD5 hex of the 13 pairs. */
export function signatureStub(params: StubParams): string {
  return createHash('md5').update(signatureStubInput(params)).digest('hex');
}
