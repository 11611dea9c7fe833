import type { StreamUrl } from '../domain/model.ts';
import { builder } from './builder.ts';

export const StreamProtocolEnum = builder.enumType('StreamProtocol', {
  values: {
    FLV: { description: 'HTTP-FLV: lowest latency, for players that read FLV.' },
    HLS: { description: 'HLS (m3u8): plays in every browser, a few seconds behind.' },
  } as const,
});

export const StreamUrlRef = builder.objectRef<StreamUrl>('StreamUrl').implement({
  description: 'A pull URL of the broadcast. Douyin signs these; they expire after about 7 days.',
  fields: (t) => ({
    protocol: t.expose('protocol', { type: StreamProtocolEnum }),
    quality: t.exposeString('quality', { description: "Douyin's quality key: FULL_HD1, HD1, SD1, SD2, ORIGION…" }),
    url: t.exposeString('url'),
  }),
});
