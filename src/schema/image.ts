import type { Image } from '../domain/model.ts';
import { builder } from './builder.ts';

export const ImageRef = builder.objectRef<Image>('Image').implement({
  description: "A picture on Douyin's CDN, as the upstream listed it (several mirrors of one file).",
  fields: (t) => ({
    url: t.string({
      nullable: true,
      description: 'The first mirror: the one to show.',
      resolve: (image) => image.urls[0] ?? null,
    }),
    urls: t.exposeStringList('urls', { description: 'Every mirror of the same picture.' }),
    uri: t.exposeString('uri', { nullable: true, description: "Douyin's storage key for the picture." }),
    width: t.exposeInt('width', { nullable: true, description: 'Pixels, when Douyin says.' }),
    height: t.exposeInt('height', { nullable: true, description: 'Pixels, when Douyin says.' }),
  }),
});
