// A message the model does not name still reaches subscribers: by method, with its raw payload.
import type { UnknownEvent } from '../../events.ts';
import type { WireCommon } from '../../wire.ts';
import { baseEvent, eventOf, type MessageEnvelope } from './envelope.ts';
import { base64Of } from './values.ts';

/** `common` is passed when the payload decoded as a known type whose content is not modelled. */
export function mapUnknown(payload: Uint8Array, envelope: MessageEnvelope, common: WireCommon | null = null): UnknownEvent {
  return eventOf<UnknownEvent>(baseEvent(common, envelope), {
    type: 'UnknownEvent',
    payload: base64Of(payload),
  });
}
