import type { StreamUrl } from '../../model.ts';
import { record, text } from './values.ts';

function fromQualityMap(value: unknown, protocol: StreamUrl['protocol']): StreamUrl[] {
  const map = record(value);
  if (map === null) return [];
  return Object.entries(map).flatMap(([quality, url]) => {
    const href = text(url);
    return href === null ? [] : [{ protocol, quality, url: href }];
  });
}

/**
 * Pull URLs from `stream_url`: `flv_pull_url` and `hls_pull_url_map` map Douyin's quality keys
 * (FULL_HD1, HD1, SD1, SD2…) to URLs. Older rooms have only the single `hls_pull_url`, which is
 * the default resolution's stream.
 */
export function mapStreamUrls(value: unknown): StreamUrl[] {
  const stream = record(value);
  if (stream === null) return [];
  const flv = fromQualityMap(stream.flv_pull_url, 'FLV');
  const hls = fromQualityMap(stream.hls_pull_url_map, 'HLS');
  const singleHls = text(stream.hls_pull_url);
  if (hls.length === 0 && singleHls !== null) {
    hls.push({ protocol: 'HLS', quality: text(stream.default_resolution) ?? 'DEFAULT', url: singleHls });
  }
  return [...flv, ...hls];
}
