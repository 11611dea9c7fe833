import type { Image } from '../../model.ts';
import { list, nonNegative, record, text } from './values.ts';

/** Douyin's `{url_list, uri, width, height}`; null when it holds no URL. Zero sizes mean "unknown". */
export function mapImage(value: unknown): Image | null {
  const source = record(value);
  if (source === null) return null;
  const urls = list(source.url_list).filter((url): url is string => typeof url === 'string' && url !== '');
  if (urls.length === 0) return null;
  const width = nonNegative(source.width);
  const height = nonNegative(source.height);
  return {
    urls,
    uri: text(source.uri),
    width: width === 0 ? null : width,
    height: height === 0 ? null : height,
  };
}

/** A cover that is either an Image object or a bare URL string (promotions send strings). */
export function mapImageOrUrl(value: unknown): Image | null {
  const url = text(value);
  return url === null ? mapImage(value) : { urls: [url], uri: null, width: null, height: null };
}
