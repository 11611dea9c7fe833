// The fan-out clients read tens of thousands of frames a second on the same two cores as the
// server they measure, so they find a chat's event id without parsing the JSON. Every server in
// the bench writes `{"id":"<operation>","type":"next","payload":{"data":{"roomEvents":{"__typename":"ChatEvent","id":"…`
// (graphql-ws's field order, then the subscription's selection order); anything else is parsed.

/** The operation id the bare ws baseline writes to every socket (it speaks no protocol). */
export const BROADCAST_OPERATION_ID = '1';

const QUOTE = 0x22;
const DECIMAL = /^\d+$/;

/** What a chat `next` frame of this operation starts with, up to the event id's first digit. */
export function chatFramePrefix(operationId: string): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(operationId)},"type":"next","payload":{"data":{"roomEvents":{"__typename":"ChatEvent","id":"`);
}

/** The chat's event id when the frame is a plain chat `next` starting with `prefix`, else null. */
export function fastChatId(data: Buffer, prefix: Buffer): string | null {
  if (data.length <= prefix.length || data.compare(prefix, 0, prefix.length, 0, prefix.length) !== 0) return null;
  const end = data.indexOf(QUOTE, prefix.length);
  if (end < 0) return null;
  const id = data.toString('latin1', prefix.length, end);
  return DECIMAL.test(id) ? id : null;
}
