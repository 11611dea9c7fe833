// Chat and emoji-chat messages → ChatEvent / EmojiChatEvent.
import type { ChatEvent, EmojiChatEvent } from '../../events.ts';
import { decimal } from '../../ids.ts';
import type { WireChatMessage, WireEmojiChatMessage, WireText } from '../../wire.ts';
import { baseEvent, eventOf, type MessageEnvelope } from './envelope.ts';

export function mapChat(wire: WireChatMessage, envelope: MessageEnvelope): ChatEvent {
  return eventOf<ChatEvent>(baseEvent(wire.common, envelope, { user: wire.user, fallbackTime: wire.eventTime }), {
    type: 'ChatEvent',
    content: wire.content ?? '',
  });
}

export function mapEmojiChat(wire: WireEmojiChatMessage, envelope: MessageEnvelope): EmojiChatEvent {
  return eventOf<EmojiChatEvent>(baseEvent(wire.common, envelope, { user: wire.user }), {
    type: 'EmojiChatEvent',
    emojiId: decimal(wire.emojiId),
    content: wire.defaultContent || emojiText(wire.emojiContent),
    imageUrl: emojiImageUrl(wire.emojiContent),
  });
}

/** The emoji's text form: the image piece's alternative text or name, else the plain pattern. */
function emojiText(text: WireText | null | undefined): string {
  for (const piece of text?.pieces ?? []) {
    const content = piece.imageValue?.image?.content;
    const name = content?.alternativeText || content?.name;
    if (name) return name;
    if (piece.stringValue) return piece.stringValue;
  }
  return text?.defaultPattern ?? '';
}

function emojiImageUrl(text: WireText | null | undefined): string | null {
  for (const piece of text?.pieces ?? []) {
    const url = piece.imageValue?.image?.urlList?.find((candidate) => candidate !== '');
    if (url !== undefined) return url;
  }
  return null;
}
