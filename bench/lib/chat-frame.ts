// The fan-out clients read tens of thousands of frames a second on the same two cores as the
// server they measure, so they find a chat's event id without parsing the JSON. Every server in
// the bench writes `{"id":"1","type":"next","payload":{"data":{"roomEvents":{"__typename":"ChatEvent","id":"…`
// (graphql-ws's field order, then the subscription's selection order); anything else is parsed.

/** Each client socket carries one subscription, always with this operation id. */
export const OPERATION_ID = '1';

const NEXT_PREFIX = Buffer.from(`{"id":"${OPERATION_ID}","type":"next","payload":{"data":{"roomEvents":{"__typename":"ChatEvent","id":"`);
const QUOTE = 0x22;
const DECIMAL = /^\d+$/;

/** The chat's event id when the frame is a plain chat `next` of our operation, else null. */
export function fastChatId(data: Buffer): string | null {
  if (data.length <= NEXT_PREFIX.length || data.compare(NEXT_PREFIX, 0, NEXT_PREFIX.length, 0, NEXT_PREFIX.length) !== 0) return null;
  const end = data.indexOf(QUOTE, NEXT_PREFIX.length);
  if (end < 0) return null;
  const id = data.toString('latin1', NEXT_PREFIX.length, end);
  return DECIMAL.test(id) ? id : null;
}
