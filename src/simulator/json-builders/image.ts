// Image JSON as Douyin writes it (protocol §5.2).
import { imageUrls, type BuildContext } from './context.ts';

/** A nine-patch badge's stretch and text areas (x, y, width, height), as Douyin sends them for fans-club badges. */
export const BADGE_SETTINGS = [{ setting_list: [0, 0, 62, 18] }];

export function imageJson(
  ctx: BuildContext,
  uri: string,
  size: { width?: number; height?: number; imageType?: number; ninePatch?: boolean } = {},
) {
  return {
    url_list: uri === '' ? [] : imageUrls(ctx.baseUrl, uri),
    uri,
    height: size.height ?? 0,
    width: size.width ?? 0,
    avg_color: '',
    image_type: size.imageType ?? 0,
    open_web_url: '',
    is_animated: false,
    flex_setting_list: size.ninePatch ? BADGE_SETTINGS : [],
    text_setting_list: size.ninePatch ? BADGE_SETTINGS : [],
  };
}

/** Only the URL list, as web/enter writes avatars and covers. */
export function urlListJson(ctx: BuildContext, uri: string) {
  return { url_list: imageUrls(ctx.baseUrl, uri) };
}
