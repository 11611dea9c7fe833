// `stream_url` of a live room: FLV/HLS pull URLs per quality and the live_core_sdk_data whose
// `stream_data` is a JSON string holding more JSON, as Douyin sends it. URLs point at the
// simulator, which answers them with 404: there is no video, only the shape.
import { bareId } from '../json.ts';
import type { RoomModel } from '../room-model.ts';
import type { BuildContext } from './context.ts';

interface Quality {
  name: string;
  sdkKey: 'origin' | 'hd' | 'sd' | 'ld' | 'md';
  /** Douyin's FLV/HLS map key. */
  mapKey: 'FULL_HD1' | 'HD1' | 'SD1' | 'SD2' | null;
  suffix: string;
  level: number;
  bitrate: number;
  landscape: string;
  portrait: string;
}

const QUALITIES: readonly Quality[] = [
  { name: '原画', sdkKey: 'origin', mapKey: 'FULL_HD1', suffix: '', level: 4, bitrate: 2_500_000, landscape: '1920x1080', portrait: '1080x1920' },
  { name: '蓝光', sdkKey: 'hd', mapKey: 'HD1', suffix: '_hd', level: 3, bitrate: 4_500_000, landscape: '1920x1080', portrait: '1080x1920' },
  { name: '高清', sdkKey: 'sd', mapKey: 'SD2', suffix: '_sd', level: 2, bitrate: 3_000_000, landscape: '1280x720', portrait: '720x1280' },
  { name: '标清', sdkKey: 'ld', mapKey: 'SD1', suffix: '_ld', level: 1, bitrate: 1_600_000, landscape: '853x480', portrait: '480x853' },
  { name: '流畅', sdkKey: 'md', mapKey: null, suffix: '_md', level: 0, bitrate: 800_000, landscape: '640x360', portrait: '360x640' },
];

function pullUrl(ctx: BuildContext, room: RoomModel, quality: Quality, ext: 'flv' | 'm3u8'): string {
  const expire = Math.floor(ctx.nowMs / 1000) + 7 * 24 * 3600;
  return `${ctx.baseUrl}/stage/stream-${room.streamId}${quality.suffix}.${ext}?expire=${expire}&sign=simulator`;
}

function qualityOption(room: RoomModel, quality: Quality) {
  return {
    name: quality.name,
    sdk_key: quality.sdkKey,
    v_codec: '264',
    resolution: room.portrait ? quality.portrait : quality.landscape,
    level: quality.level,
    v_bit_rate: quality.bitrate,
    additional_content: '',
    fps: 25,
    disable: 0,
  };
}

function streamData(ctx: BuildContext, room: RoomModel): string {
  const data = Object.fromEntries(
    QUALITIES.map((quality) => [
      quality.sdkKey,
      {
        main: {
          flv: pullUrl(ctx, room, quality, 'flv'),
          hls: pullUrl(ctx, room, quality, 'm3u8'),
          cmaf: '',
          dash: '',
          lls: '',
          tsl: '',
          tile: '',
          http_ts: '',
          ll_hls: '',
          sdk_params: JSON.stringify({ VCodec: 'h264', vbitrate: quality.bitrate, resolution: room.portrait ? quality.portrait : quality.landscape, gop: 4, drType: 'sdr', fps: 25 }),
          enableEncryption: false,
          templateRealTimeInfo: { name: quality.sdkKey, bitrateKbps: quality.bitrate / 1000, updatedTime: ctx.nowMs },
        },
      },
    ]),
  );
  const common = { ts: String(Math.floor(ctx.nowMs / 1000)), session_id: `037-${room.roomId}`, stream: room.streamId, version: 0, stream_name: `stream-${room.streamId}` };
  return JSON.stringify({ common, data });
}

function qualityMap(ctx: BuildContext, room: RoomModel, ext: 'flv' | 'm3u8'): Record<string, string> {
  const entries = QUALITIES.filter((q) => q.mapKey !== null).map((q) => [q.mapKey as string, pullUrl(ctx, room, q, ext)]);
  return Object.fromEntries(entries);
}

/** The anchor app's encoder presets, as the vendor's info sample shows them (numbers as sent). */
const PUSH_DATA = {
  push_stream_level: 0,
  resolution_params: {
    ld: { default_bitrate: 800_000, fps: 15, height: 848, max_bitrate: 1_333_000, min_bitrate: 320_000, width: 480 },
    sd: { default_bitrate: 1_000_000, fps: 15, height: 960, max_bitrate: 1_600_000, min_bitrate: 500_000, width: 540 },
  },
};

export function streamUrlJson(ctx: BuildContext, room: RoomModel, variant: 'enter' | 'reflow') {
  const [width, height] = (room.portrait ? '1080x1920' : '1920x1080').split('x').map(Number);
  const origin = QUALITIES[0] as Quality;
  const common = {
    flv_pull_url: qualityMap(ctx, room, 'flv'),
    default_resolution: 'HD1',
    hls_pull_url_map: qualityMap(ctx, room, 'm3u8'),
    hls_pull_url: pullUrl(ctx, room, origin, 'm3u8'),
    stream_orientation: room.portrait ? 1 : 2,
    live_core_sdk_data: {
      push_data: PUSH_DATA,
      pull_data: {
        options: {
          default_quality: qualityOption(room, origin),
          qualities: [...QUALITIES].reverse().map((q) => qualityOption(room, q)),
          ...(variant === 'reflow' ? { vpass_default: false, quality_strategy: '' } : {}),
        },
        stream_data: streamData(ctx, room),
      },
    },
    extra: {
      height,
      width,
      fps: 0,
      max_bitrate: 0,
      min_bitrate: 0,
      default_bitrate: 0,
      bitrate_adapt_strategy: 0,
      anchor_interact_profile: 0,
      audience_interact_profile: 0,
      hardware_encode: false,
      video_profile: 0,
      h265_enable: false,
      gop_sec: 0,
      bframe_enable: false,
      roi: false,
      sw_roi: false,
      bytevc1_enable: false,
    },
    pull_datas: {},
  };
  if (variant === 'enter') return common;
  return {
    provider: 0,
    id: bareId(room.streamId),
    id_str: room.streamId,
    resolution_name: { FULL_HD1: '蓝光', HD1: '超清', ORIGION: '原画', SD1: '标清', SD2: '高清' },
    rtmp_push_url: '',
    rtmp_pull_url: pullUrl(ctx, room, origin, 'flv'),
    candidate_resolution: ['SD1', 'SD2', 'HD1', 'FULL_HD1'],
    hls_pull_url_params: JSON.stringify({ VCodec: 'h264' }),
    rtmp_pull_url_params: JSON.stringify({ VCodec: 'h264' }),
    flv_pull_url_params: { HD1: JSON.stringify({ VCodec: 'h264' }), SD1: JSON.stringify({ VCodec: 'h264' }), SD2: JSON.stringify({ VCodec: 'h264' }) },
    rtmp_push_url_params: '',
    push_urls: [],
    complete_push_urls: [],
    stream_control_type: 0,
    push_stream_type: 0,
    push_datas: {},
    vr_type: 0,
    multi_stream_scene: 0,
    resolution_select_panel_resident: 0,
    rtmps_push_url: '',
    ...common,
  };
}
