// A push server the test scripts frame by frame, for upstream behaviour the simulator does not
// have: Douyin's own un-numbered cursors (r-1). Frames are built with the simulator's encoder,
// so they are byte-compatible with what Douyin sends.
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeEnvelope, encodeMsgFrame, encodeResponse } from '../../../src/simulator/frame-encoder.ts';
import { encodeProto } from '../../../src/simulator/proto.ts';

export class ScriptedPushServer {
  readonly sockets: WebSocket[] = [];
  private seq = 0;

  private constructor(private readonly wss: WebSocketServer) {
    wss.on('connection', (ws) => this.sockets.push(ws));
  }

  static async start(): Promise<ScriptedPushServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new ScriptedPushServer(wss);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/webcast/im/push/v2/`;
  }

  /** One gzip'd msg frame of chats with the given ids, under the given cursor. */
  sendChats(socket: WebSocket, roomId: string, msgIds: readonly string[], cursor: string): void {
    const now = Date.now();
    const envelopes = msgIds.map((msgId) =>
      encodeEnvelope(
        'WebcastChatMessage',
        encodeProto('ChatMessage', {
          common: { method: 'WebcastChatMessage', msg_id: msgId, room_id: roomId },
          user: { id: '111', nickname: '观众1' },
          content: `chat ${msgId}`,
        }),
        msgId,
      ),
    );
    const internalExt = 'internal_src:pushserver|wss_msg_type:r';
    const response = encodeResponse(envelopes, { cursor, nowMs: now, internalExt, needAck: true, heartbeatDuration: 15 });
    this.seq += 1;
    socket.send(encodeMsgFrame({ seqId: this.seq, logId: String(1000 + this.seq), cursor, internalExt, nowMs: now, response }));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
