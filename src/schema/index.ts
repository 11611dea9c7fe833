// The built schema. Only the server and codegen import this file.
import { builder } from './builder.ts';
import './scalars.ts';
import './image.ts';
import './user.ts';
import './stream.ts';
import './status.ts';
import './room.ts';
import './rank.ts';
import './promotion.ts';
import './gift.ts';
import './events.ts';
import './events-room-page.ts';
import './events-chat-extras.ts';
import './events-rewards.ts';
import './events-linkmic.ts';
import './history.ts';
import './webhook.ts';
import './watch.ts';
import './upstream-pool.ts';

export const schema = builder.toSchema({ sortSchema: true });
