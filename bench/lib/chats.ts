// Chats for the baseline servers, shaped and sized like the gateway's ChatEvent answer to the
// benches' subscription, with ids as Douyin's msg_ids are: 19-digit decimal strings.
import type { BenchChat } from '../servers/types.ts';

const LINES = ['主播好', '来了来了', '这个怎么卖', '666666', '主播唱一首吧，好听', '第一次来直播间，关注了', '哈哈哈哈哈', '求链接'];
const FIRST_ID = 7_500_000_000_000_000_000n;

export function benchChat(n: number): BenchChat {
  return {
    __typename: 'ChatEvent',
    id: String(FIRST_ID + BigInt(n)),
    content: LINES[n % LINES.length] as string,
    user: { id: String(95_000_000_000 + (n % 5000)), nickname: `观众${n % 5000}` },
  };
}
