// E-commerce messages → ProductEvent. No capture holds these payloads (protocol §5.19): the
// field meanings are the bundle-extracted schema's, so the action is inferred conservatively.
import type { ProductAction, ProductEvent } from '../../events.ts';
import { count, isDecimalUint64, optionalId } from '../../ids.ts';
import type { WireLiveEcomMessage, WireLiveShoppingMessage, WireProductChangeMessage } from '../../wire.ts';
import { baseEvent, eventOf, type MessageEnvelope } from './envelope.ts';
import { positive, text } from './values.ts';

export function mapProductChange(wire: WireProductChangeMessage, envelope: MessageEnvelope): ProductEvent {
  return eventOf<ProductEvent>(baseEvent(wire.common, envelope), {
    type: 'ProductEvent',
    action: 'CART_CHANGED',
    promotionIds: ids((wire.updateProductInfo ?? []).map((info) => info.promotionId)),
    text: text(wire.updateToast),
    total: positive(wire.total),
  });
}

export function mapLiveShopping(wire: WireLiveShoppingMessage, envelope: MessageEnvelope): ProductEvent {
  const explained = optionalId(wire.promotionId);
  const updated = ids(wire.updatedProductIds ?? []);
  return eventOf<ProductEvent>(baseEvent(wire.common, envelope), {
    type: 'ProductEvent',
    action: shoppingAction(wire.soldOut === true, updated.length > 0, explained !== null),
    promotionIds: unique(explained === null ? updated : [explained, ...updated]),
    text: text(wire.ecomNotice) ?? text(wire.buttonLabel),
    total: positive(wire.promotionsNum),
  });
}

function shoppingAction(soldOut: boolean, updated: boolean, explained: boolean): ProductAction {
  if (soldOut) return 'SOLD_OUT';
  if (updated) return 'UPDATED';
  return explained ? 'EXPLAINING' : 'OTHER';
}

/** Purchase toasts ("某某 正在购买"): a count of buyers, else a notice we only pass on. */
export function mapLiveEcom(wire: WireLiveEcomMessage, envelope: MessageEnvelope): ProductEvent {
  const metaIdStr = wire.metaIdStr?.trim() ?? '';
  const metaId = isDecimalUint64(metaIdStr) ? metaIdStr : optionalId(wire.metaId);
  return eventOf<ProductEvent>(baseEvent(wire.common, envelope), {
    type: 'ProductEvent',
    action: count(wire.purchaseCnt) > 0 ? 'PURCHASED' : 'OTHER',
    promotionIds: metaId === null ? [] : [metaId],
    text: text(wire.text),
    total: null,
  });
}

function ids(values: Parameters<typeof optionalId>[0][]): string[] {
  return values.map(optionalId).filter((id): id is string => id !== null);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
